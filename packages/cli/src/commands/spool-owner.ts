import { statSync } from 'node:fs';

/**
 * Run as root on a spool that belongs to another user (a gateway started as root with `user:`
 * hands it over), act as that user from here on: a record written as root (a release, a flush
 * request) is one the gateway, running as its user, can no longer read, and the message is
 * never delivered.
 */
export function actAsSpoolOwner(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const { uid, gid } = statSync(dir);
  if (uid === 0) return;
  process.setgroups?.([gid]);
  process.setgid!(gid);
  process.setuid!(uid);
}
