import type { CompiledPolicy } from '@mailward/core';
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';

/**
 * The MAIL and RCPT parameters smtp-server takes, and the ESMTP extension each belongs to.
 * Any other is no extension's: refused, as one of an extension not offered is (RFC 5321
 * 4.1.1.11, 555), since smtp-server passes every parameter on to the hooks.
 */
const PARAMETERS: Readonly<Record<'MAIL' | 'RCPT', Readonly<Record<string, string>>>> = {
  MAIL: { SIZE: 'SIZE', BODY: '8BITMIME', SMTPUTF8: 'SMTPUTF8', AUTH: 'AUTH', RET: 'DSN', ENVID: 'DSN', REQUIRETLS: 'REQUIRETLS' },
  RCPT: { NOTIFY: 'DSN', ORCPT: 'DSN' },
};

/**
 * The extensions with parameters that a createPolicyServer server lists in its EHLO reply on a
 * session: read from the options it was made with, so the refusals agree with what was offered.
 * AUTH is listed only under TLS (see protocol-replies).
 */
export function offeredByServer(options: SMTPServerOptions, secure: boolean): ReadonlySet<string> {
  const offered = new Set<string>();
  if (options.size) offered.add('SIZE');
  if (!options.hide8BITMIME) offered.add('8BITMIME');
  if (!options.hideSMTPUTF8) offered.add('SMTPUTF8');
  // smtp-server's defaults hide DSN and REQUIRETLS: only a `false` offers them.
  if (options.hideDSN === false) offered.add('DSN');
  if (secure && options.hideREQUIRETLS === false) offered.add('REQUIRETLS');
  if (secure && (options.authMethods ?? []).length > 0 && !(options.disabledCommands ?? []).includes('AUTH')) offered.add('AUTH');
  return offered;
}

/**
 * For policyHooks on a server of the host's own, whose options the hooks do not see: what
 * smtpServerOptions offers for the policy (DSN never), with AUTH and SIZE unless it hides them.
 */
export function offeredByPolicy(policy: CompiledPolicy): ReadonlySet<string> {
  const hidden = new Set(policy.smtp.hideKeywords.map((k) => k.toUpperCase()));
  return new Set(['SIZE', '8BITMIME', 'SMTPUTF8', 'AUTH'].filter((k) => !hidden.has(k)));
}

/** Whether the session opened with HELO, not EHLO: its reply offered no extension (RFC 5321 4.1.1.1). */
export function openedWithHelo(session: SMTPServerSession): boolean {
  // smtp-server sets openingCommand on the session, though its types do not say so.
  return (session as { openingCommand?: unknown }).openingCommand === 'HELO';
}

/** A MAIL or RCPT parameter refused: as sent, with why, and the extension it belongs to (if any). */
export interface UnofferedParameter {
  /** `RET= (DSN is not offered here)`: what the reply and the log say. */
  text: string;
  /** The ESMTP keyword of its extension (DSN for RET=); absent for a parameter of none. */
  keyword?: string;
}

/**
 * The first parameter of a MAIL or RCPT command that no extension offered here takes, named as
 * sent (smtp-server gives one without a value, SMTPUTF8, as true: no '=') with why, and its
 * extension. After HELO (`afterHelo`) nothing was offered: every parameter is refused, whatever
 * `offered` holds.
 */
export function unofferedParameterOf(command: 'MAIL' | 'RCPT', args: unknown, offered: ReadonlySet<string>, afterHelo = false): UnofferedParameter | undefined {
  if (!args || typeof args !== 'object') return undefined;
  for (const [key, value] of Object.entries(args)) {
    const name = key.toUpperCase();
    const keyword = PARAMETERS[command][name];
    const sent = `${name}${value === true ? '' : '='}`;
    const of = keyword ? { keyword } : {};
    // RFC 5321 has a client that sent HELO use no parameter; RFC 6152 defines BODY, 7BIT too, only with 8BITMIME.
    if (afterHelo) return { text: `${sent} (no extension is offered after HELO)`, ...of };
    // After EHLO, BODY=7BIT is what a message is without the parameter: taken always.
    if (name === 'BODY' && typeof value === 'string' && value.toUpperCase() === '7BIT') continue;
    if (keyword && offered.has(keyword)) continue;
    return { text: keyword ? `${sent} (${keyword} is not offered here)` : `${sent} (no extension offered here takes it)`, ...of };
  }
  return undefined;
}

/** unofferedParameterOf's text alone: the first parameter no extension offered here takes, with why. */
export function unofferedParameter(command: 'MAIL' | 'RCPT', args: unknown, offered: ReadonlySet<string>, afterHelo = false): string | undefined {
  return unofferedParameterOf(command, args, offered, afterHelo)?.text;
}

/**
 * A non-ASCII envelope address is SMTPUTF8 in use (RFC 6531) even without its parameter:
 * refused where the extension is not offered, as smtp-server takes such addresses whatever it offers.
 */
export function unofferedUtf8Address(address: string, offered: ReadonlySet<string>): boolean {
  return /[^\x00-\x7f]/.test(address) && !offered.has('SMTPUTF8');
}
