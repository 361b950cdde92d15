import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';

/** A second `mailward serve` on a spool another one is using: it stops before touching anything. */
export class SpoolInUseError extends Error {
  readonly code = 'MW_SPOOL_IN_USE';
  constructor(root: string, pid: number) {
    super(`the spool ${root} is in use by process ${pid} (another mailward serve, or one still stopping): stop it first; if no such process runs, remove ${join(root, 'lock')}`);
  }
}

/** Whether a process with this id runs (EPERM: it does, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Lock files this process holds: a lock naming our pid that is not among them is a past life's. */
const held = new Set<string>();

/**
 * Take the spool for this process, before its start-up clean-up: that removes tmp/ and the files
 * of commits cut half-way, which in a spool a running gateway uses are its sessions' DATA and
 * its commits in progress. The lock is `lock` in the spool, holding the pid; one whose process is
 * gone (a crash, kill -9) is taken over, and so is one naming our own pid that this process did
 * not take (a gateway that is pid 1 in its container has the same pid after every restart), and
 * one written before the machine booted (after a power cut its pid may be some other program's).
 * Returns the release.
 */
export function lockSpool(root: string): () => void {
  const path = join(root, 'lock');
  for (;;) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      held.add(path);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    const beforeBoot = statSync(path).mtimeMs < Date.now() - uptime() * 1000;
    const pastLife = beforeBoot || (holder === process.pid && !held.has(path));
    if (Number.isInteger(holder) && holder > 0 && !pastLife && isRunning(holder)) throw new SpoolInUseError(root, holder);
    unlinkSync(path); // a crashed gateway's lock
  }
  return () => {
    held.delete(path);
    try {
      if (Number.parseInt(readFileSync(path, 'utf8'), 10) === process.pid) unlinkSync(path);
    } catch {
      // already gone
    }
  };
}
