import type { CompiledPolicy } from '@mailward/core';
import type { SMTPServerOptions } from 'smtp-server';

/** ESMTP keywords a policy can hide, and the MAIL/RCPT parameters that use each one. */
export const KEYWORD_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  DSN: ['RET', 'ENVID', 'NOTIFY', 'ORCPT'],
  SIZE: ['SIZE'],
  '8BITMIME': ['BODY'],
  SMTPUTF8: ['SMTPUTF8'],
};

/** Commands no gateway answers: they help attackers and serve no mail. */
const ALWAYS_DISABLED = ['WIZ', 'SHELL', 'KILL', 'VRFY', 'HELP'];

/**
 * The smtp-server options that carry out a policy's `smtp:` controls: hidden keywords left out
 * of the EHLO reply (and their commands disabled), the idle timeout, and the size the server
 * advertises. Refusing hidden parameters used anyway happens in the MAIL/RCPT hooks.
 */
export function smtpServerOptions(policy: CompiledPolicy, tlsAvailable: boolean): Partial<SMTPServerOptions> {
  const hidden = new Set(policy.smtp.hideKeywords.map((k) => k.toUpperCase()));
  const disabled = [...ALWAYS_DISABLED];
  if (hidden.has('AUTH')) disabled.push('AUTH');
  if (hidden.has('STARTTLS') || !tlsAvailable) disabled.push('STARTTLS');
  const options: Partial<SMTPServerOptions> = {
    disabledCommands: disabled,
    hideSTARTTLS: hidden.has('STARTTLS') || !tlsAvailable,
    hidePIPELINING: hidden.has('PIPELINING'),
    hide8BITMIME: hidden.has('8BITMIME'),
    hideSMTPUTF8: hidden.has('SMTPUTF8'),
    // DSN (RFC 3461) is not carried out by the gateway, so it is never offered; its parameters
    // are refused when the policy hides it.
    hideDSN: true,
    hideENHANCEDSTATUSCODES: true, // our replies carry their own status codes in the text
    disableReverseLookup: true,
  };
  // Advertising SIZE lets clients skip sending what would be refused; hiding it hides the number too.
  if (policy.smtp.maxSize && !hidden.has('SIZE')) options.size = policy.smtp.maxSize;
  if (policy.smtp.idleTimeout) options.socketTimeout = policy.smtp.idleTimeout;
  return options;
}

/** The hidden keyword a MAIL or RCPT parameter belongs to, if the policy hides it. */
export function hiddenParameter(policy: CompiledPolicy, args: unknown): string | undefined {
  if (!args || typeof args !== 'object') return undefined;
  const used = new Map(Object.entries(args).map(([k, v]) => [k.toUpperCase(), v]));
  for (const keyword of policy.smtp.hideKeywords.map((k) => k.toUpperCase())) {
    const param = (KEYWORD_PARAMETERS[keyword] ?? []).find((p) => used.has(p));
    // smtp-server gives a parameter without a value (SMTPUTF8) as true: named as sent, without '='.
    if (param) return `${param}${used.get(param) === true ? '' : '='} (${keyword} is not offered here)`;
  }
  return undefined;
}

/**
 * A non-ASCII envelope address is SMTPUTF8 in use (RFC 6531) even without its parameter:
 * refused where the policy hides the keyword, as smtp-server takes such addresses whatever it offers.
 */
export function hiddenUtf8Address(policy: CompiledPolicy, address: string): boolean {
  return /[^\x00-\x7f]/.test(address) && policy.smtp.hideKeywords.some((k) => k.toUpperCase() === 'SMTPUTF8');
}
