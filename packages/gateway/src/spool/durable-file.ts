import { closeSync, fsync, fsyncSync, open, openSync, renameSync, writeFileSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';

/** fsync in the thread pool. */
export const fsyncAsync = promisify(fsync);

const openAsync = promisify(open);

/** Create a spool file in the thread pool: creating one can wait for the journal while other sessions' fsyncs commit. */
export function createFile(path: string): Promise<number> {
  return openAsync(path, 'w', 0o600);
}

/** fsync a directory, so a rename in it survives a crash. */
export function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write a file so that it is either whole or absent after a crash: write, fsync, rename, fsync dir. */
export function writeDurably(path: string, data: string | Buffer): void {
  const temp = `${path}.part`;
  const fd = openSync(temp, 'w', 0o600);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  syncDirectory(dirname(path));
}

/**
 * Write a small file (a record) and fsync it. Creating it and the fsync go to the thread pool;
 * the write and close of a few KB in the page cache cost less on the event loop than the thread
 * and loop wake-ups of two more queued operations. Its name is made durable by the caller.
 */
export async function writeSynced(path: string, data: string | Buffer): Promise<void> {
  const fd = await createFile(path);
  try {
    writeFileSync(fd, data);
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Remove a file, off the event loop; a missing one is fine (rm would cost an lstat more). */
export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
