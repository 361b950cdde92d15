import type { ListenerConfig } from './config';
import { ImapLogin } from './imap-login';
import type { GatewayLog } from './log';
import { PasswordFile } from './password-file';

/** What a submission listener checks logins against: a password file, an IMAP server, or both. */
export type SubmissionAuth = NonNullable<ListenerConfig['auth']>;

/**
 * The login check of a submission listener. With both a password file and an IMAP server, the
 * file is asked first (it needs no network) and the IMAP server only for logins the file does
 * not take: a yes from either passes. It throws when the IMAP server could not decide, which the
 * listener answers with 454 4.7.0. The password is never logged.
 */
export function submissionLogin(auth: SubmissionAuth, listen: string, log: GatewayLog): (user: string, password: string, client: { ip: string }) => Promise<boolean> {
  // A bad edit while running: the last good file stays in use, and the admin is told where.
  const file = auth.passwords ? new PasswordFile(auth.passwords, (err) => log.event('warn', {
    event: 'passwords-invalid', listen, file: err.where, problem: err.problem,
    // The other bad lines too: fixing one should not be the way to learn of the next.
    ...(err.problems.length > 1 ? { others: err.problems.slice(1).map((p) => `${p.where}: ${p.problem}`) } : {}),
    action: 'the last good version of the file is used until this is fixed',
  })) : undefined;
  const imap = auth.imap ? new ImapLogin(auth.imap) : undefined;
  return async (user, password, client) => {
    if (await file?.check(user, password)) return true;
    if (!imap) return false;
    try {
      return await imap.check(user, password, client.ip);
    } catch (err) {
      log.event('warn', { event: 'auth-unavailable', listen, client: client.ip, user, imap: imap.address, error: (err as Error).message });
      throw err;
    }
  };
}
