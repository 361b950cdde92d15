import type { CompiledPolicy } from '@mailward/core';
import type { SMTPServerOptions, SMTPServerSession } from 'smtp-server';

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

/**
 * A non-ASCII envelope address is SMTPUTF8 in use (RFC 6531) even without its parameter:
 * refused where the extension is not offered, as smtp-server takes such addresses whatever it offers.
 */
export function unofferedUtf8Address(address: string, offered: ReadonlySet<string>): boolean {
  return /[^\x00-\x7f]/.test(address) && !offered.has('SMTPUTF8');
}
