import { chownSync, lchownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { GatewayLog } from './log';

/** The unprivileged user the gateway continues as. */
export interface Account {
  name: string;
  uid: number;
  gid: number;
}

/** gateway.yaml's `user` names no user on this system. */
export class UnknownUserError extends Error {
  readonly code = 'MW_NO_SUCH_USER';
  constructor(readonly user: string) {
    super(`user "${user}" (gateway.yaml \`user\`) does not exist on this system: create it (useradd --system --no-create-home ${user}) or change \`user\``);
  }
}

function idOf(flag: '-u' | '-g', user: string): number {
  // `id` asks the system's user database (NSS: /etc/passwd, LDAP...), as login would.
  const out = execFileSync('id', [flag, '--', user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  if (!/^\d+$/.test(out)) throw new Error(`id ${flag} ${user}: unexpected answer "${out}"`);
  return Number(out);
}

/**
 * The account to drop to once the listeners are bound, looked up before anything starts so a
 * missing user is a start-up error. Not root: nothing to drop, said once in the log.
 */
export function accountToRunAs(user: string, log: GatewayLog): Account | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    log.event('warn', { event: 'privileges', message: `not root: already running as uid ${process.getuid?.()}, user ${user} ignored` });
    return undefined;
  }
  try {
    return { name: user, uid: idOf('-u', user), gid: idOf('-g', user) };
  } catch {
    throw new UnknownUserError(user);
  }
}

/**
 * Give the spool and everything in it to `uid`:`gid`. The spool is that user's to write, so
 * what is in it is not trusted: a symbolic link gets its own owner changed (lchown), never its
 * target's, and is not followed into another folder; otherwise a link planted there to
 * /etc/shadow would be chowned by root at the next start.
 */
export function handOverSpool(spool: string, uid: number, gid: number): void {
  chownSync(spool, uid, gid);
  for (const entry of readdirSync(spool, { withFileTypes: true })) {
    const path = join(spool, entry.name);
    if (entry.isDirectory()) handOverSpool(path, uid, gid);
    else lchownSync(path, uid, gid);
  }
}

/**
 * After binding the listeners as root (port 25), continue as an unprivileged user, as Gauntlet
 * ran smap: the spool is handed to that user first, since it stays mode 0700.
 */
export function dropPrivileges(account: Account, spool: string, log: GatewayLog): void {
  const { uid, gid } = account;
  handOverSpool(spool, uid, gid);
  process.setgroups?.([gid]);
  process.setgid!(gid);
  process.setuid!(uid);
  log.event('info', { event: 'privileges', user: account.name, uid, gid });
}
