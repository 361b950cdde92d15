import { linkSync, lstatSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { uptime } from 'node:os';
import { join } from 'node:path';

/** A second `mailward serve` on a spool another one is using: it stops before touching anything. */
export class SpoolInUseError extends Error {
  readonly code = 'MW_SPOOL_IN_USE';
  constructor(root: string, pid: number) {
    super(`the spool ${root} is in use by process ${pid} (another mailward serve, or one still stopping): stop it first; if no such process runs, remove ${join(root, 'lock')}`);
  }
}

/**
 * Whether a process with this id runs (EPERM: it does, as another user). A zombie, killed and not
 * yet reaped by its parent (a supervisor restarting the gateway at once after kill -9), answers
 * kill(0) but holds nothing: Linux's /proc says so (state Z or X after the command's name).
 */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return true; // no /proc (or it went just now): kill(0) answered, so take it as running
  }
}

/** Lock files this process holds: a lock naming our pid that is not among them is a past life's. */
const held = new Set<string>();

const exists = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'EEXIST';

const noSpace = (err: unknown): boolean => ['ENOSPC', 'EDQUOT'].includes((err as NodeJS.ErrnoException).code ?? '');

/** The pid text of a lock: a file's content, or (the lock taken on a full disk) a symbolic link's target. */
export function lockText(path: string): string {
  return lstatSync(path).isSymbolicLink() ? `${readlinkSync(path)}\n` : readFileSync(path, 'utf8');
}

/**
 * Create `path` holding our pid, whole or not at all (a draft hard-linked into place), so no one
 * sees it empty, half-written, and takes it for stale; on a file system without hard links, an
 * exclusive create. On a full disk (no block for the draft's text) the lock is a symbolic link
 * to the pid: created whole in one call, and a target this short is kept in the inode, so the
 * gateway can start and deliver the queue, which frees space.
 */
function tryCreate(path: string): boolean {
  const text = `${process.pid}\n`;
  const draft = `${path}.${process.pid}`;
  try {
    writeFileSync(draft, text, { mode: 0o600 });
  } catch (err) {
    rmSync(draft, { force: true }); // created, then its text refused: no empty draft left behind
    if (!noSpace(err)) throw err;
    return trySymlink(path);
  }
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    if (exists(err)) return false;
  } finally {
    unlinkSync(draft);
  }
  try {
    writeFileSync(path, text, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if (exists(err)) return false;
    if (noSpace(err)) {
      rmSync(path, { force: true }); // ours, created empty by the exclusive create
      return trySymlink(path);
    }
    throw err;
  }
}

/** tryCreate, with a failure that names the lock and says what to do. */
function create(path: string): boolean {
  try {
    return tryCreate(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint = noSpace(e) ? 'free space (or inodes) on the spool\'s file system' : 'check that the spool is writable by the user mailward serve runs as';
    throw Object.assign(new Error(`cannot take the spool lock ${path}: ${e.message}: ${hint}`), { code: e.code });
  }
}

function trySymlink(path: string): boolean {
  try {
    symlinkSync(String(process.pid), path);
    return true;
  } catch (err) {
    if (exists(err)) return false;
    throw err;
  }
}

/**
 * Remove the lock judged stale (its inode and text as read), and only that one: it is moved
 * aside first, and when what was moved is another lock (a gateway starting at the same moment
 * took over before us; its file may even have the freed inode again) it is put back, to be read
 * again. With a plain unlink, two gateways taking over one stale lock together could each remove
 * the other's new lock, and both run.
 */
export function removeStale(path: string, judged: { ino: number; text: string }): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it
    throw err;
  }
  try {
    if (lstatSync(aside).ino !== judged.ino || lockText(aside) !== judged.text) linkSync(aside, path);
  } catch (err) {
    if (!exists(err)) throw err;
  } finally {
    unlinkSync(aside);
  }
}

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
  while (!create(path)) {
    let stat: ReturnType<typeof lstatSync>;
    let text: string;
    try {
      stat = lstatSync(path);
      text = lockText(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
      throw err;
    }
    const holder = Number.parseInt(text, 10);
    const beforeBoot = stat.mtimeMs < Date.now() - uptime() * 1000;
    const pastLife = beforeBoot || (holder === process.pid && !held.has(path));
    if (Number.isInteger(holder) && holder > 0 && !pastLife && isRunning(holder)) throw new SpoolInUseError(root, holder);
    removeStale(path, { ino: stat.ino, text }); // a crashed gateway's lock
  }
  held.add(path);
  return () => {
    held.delete(path);
    try {
      if (Number.parseInt(lockText(path), 10) === process.pid) unlinkSync(path);
    } catch {
      // already gone
    }
  };
}
