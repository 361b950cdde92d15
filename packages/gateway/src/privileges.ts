import { chownSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { GatewayLog } from './log';

/**
 * After binding the listeners as root (port 25), continue as an unprivileged user, as Gauntlet
 * ran smap: the spool is handed to that user first, since it stays mode 0700.
 */
export function dropPrivileges(user: string, spool: string, log: GatewayLog): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    log.event('warn', { event: 'privileges', message: `not root: already running as uid ${process.getuid?.()}, user ${user} ignored` });
    return;
  }
  const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
  const own = (dir: string): void => {
    chownSync(dir, uid, gid);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) own(path);
      else chownSync(path, uid, gid);
    }
  };
  own(spool);
  process.setgroups?.([gid]);
  process.setgid!(gid);
  process.setuid!(uid);
  log.event('info', { event: 'privileges', user, uid, gid });
}
