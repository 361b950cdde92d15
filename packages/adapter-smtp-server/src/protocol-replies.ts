import type { CompiledPolicy } from '@mailward/core';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { acceptedReply } from './accept-replies';
import { eachConnection } from './each-connection';

interface Connection {
  session: SMTPServerSession;
  secure: boolean;
  /** smtp-server's own count of unknown commands: it hangs up at 10, whatever the policy says. */
  _unrecognizedCommands: number;
  remoteAddress: string;
  send(code: number, data: string | string[], context?: unknown): void;
}

// Status codes for the replies smtp-server writes itself (its enhanced codes are off, since our
// own replies carry theirs in the text). It answers 552 only for a size over the limit, 452 only
// for a recipient over a host's maxRecipients, and 550 only to XCLIENT and XFORWARD, which are
// not taken here.
const OWN_STATUS: Readonly<Record<number, string>> = {
  421: '4.4.2', 451: '4.3.0', 452: '4.5.3', 454: '4.7.0', 500: '5.5.2', 501: '5.5.4', 502: '5.5.1', 503: '5.5.1', 504: '5.5.4',
  530: '5.7.0', 535: '5.7.8', 538: '5.7.0', 550: '5.7.1', 552: '5.3.4', 554: '5.6.0', 555: '5.5.4',
};
const HAS_STATUS = /^[245]\.\d{1,3}\.\d{1,3} /;

/** Refused commands a session may have when the policy sets no `hardErrorLimit`: Postfix's smtpd_hard_error_limit. */
export const DEFAULT_HARD_ERROR_LIMIT = 20;

/**
 * 452 4.5.3 to a recipient over maxRecipients is no error of the client's: RFC 5321 4.5.3.1.10
 * has it send the rest in a later transaction, so a long list must not hang up the connection
 * before the recipients taken get their mail.
 */
const isTooManyRecipients = (code: number, data: string | string[]): boolean => code === 452 && typeof data === 'string' && data.startsWith('4.5.3 ');

/**
 * Every reply of the server's sessions passes through here, whoever wrote it (a hook, or
 * smtp-server before any hook runs: an unknown command, MAIL before HELO, SIZE= over the
 * limit): an accepted MAIL or RCPT gets the decision's reply, an error reply gets a status code
 * and counts toward the policy's `hardErrorLimit`, DEFAULT_HARD_ERROR_LIMIT when it sets none
 * (but for 452 4.5.3, too many recipients; the count starts again after a message is taken; the
 * one that reaches it is answered, then 421 follows and the connection closes; smtp-server's own
 * limit of ten unknown commands stands only when the policy sets no limit), and AUTH is left out
 * of the EHLO reply until the session is under TLS, where logins are taken.
 */
export function watchReplies(server: SMTPServer, policy: () => CompiledPolicy, log: (event: Record<string, unknown>) => void): void {
  eachConnection<Connection>(server, (connection) => {
    const send = connection.send.bind(connection);
    let errors = 0;
    connection.send = (code, data, context): void => {
      // As Postfix's limit counts errors made without delivering mail: a message taken starts the count again.
      if (code === 250 && context === 'DATA_OK') errors = 0;
      const accepted = acceptedReply(connection.session, context);
      if (accepted) return send(accepted.code, `${accepted.status} ${accepted.text}`, context);
      if (Array.isArray(data) && !connection.secure) data = data.filter((line) => !line.startsWith('AUTH '));
      if (typeof data === 'string' && OWN_STATUS[code] && !HAS_STATUS.test(data)) data = `${OWN_STATUS[code]} ${data}`;
      if (code < 400 || code === 421 || isTooManyRecipients(code, data)) return send(code, data, context);
      errors++;
      const configured = policy().smtp.hardErrorLimit;
      // With a limit of its own the policy's count is the one that hangs up; without, smtp-server's
      // ten unknown commands stand beside the default, which bounds guessing passwords too.
      if (configured) connection._unrecognizedCommands = 0;
      const limit = configured ?? DEFAULT_HARD_ERROR_LIMIT;
      send(code, data, context);
      if (errors < limit) return;
      // The command that reaches the limit gets its own reply first, as Postfix's
      // smtpd_hard_error_limit does: the client learns what was wrong with it, then why it is cut.
      log({ event: 'hard-error-limit', session: connection.session.id, client: connection.remoteAddress, errors });
      send(421, `4.7.0 Too many errors (${errors}); closing connection`, false);
    };
  });
}
