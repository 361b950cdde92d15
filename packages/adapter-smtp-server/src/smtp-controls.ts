import type { CompiledPolicy } from '@mailward/core';
import type { SMTPServerOptions } from 'smtp-server';

/** Commands no gateway answers: they help attackers and serve no mail. */
const ALWAYS_DISABLED = ['WIZ', 'SHELL', 'KILL', 'VRFY', 'HELP'];

/**
 * The smtp-server options that carry out a policy's `smtp:` controls: hidden keywords left out
 * of the EHLO reply (and their commands disabled), the idle timeout, and the size the server
 * advertises. Refusing the parameters of what is not offered happens in the MAIL/RCPT hooks
 * (see offered-parameters).
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
    // DSN (RFC 3461) is not carried out by the gateway, so it is never offered, and its
    // parameters are refused.
    hideDSN: true,
    hideENHANCEDSTATUSCODES: true, // our replies carry their own status codes in the text
    disableReverseLookup: true,
  };
  // Advertising SIZE lets clients skip sending what would be refused; hiding it hides the number too.
  if (policy.smtp.maxSize && !hidden.has('SIZE')) options.size = policy.smtp.maxSize;
  if (policy.smtp.idleTimeout) options.socketTimeout = policy.smtp.idleTimeout;
  return options;
}
