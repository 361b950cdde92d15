import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

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

/** Write a file and fsync it, off the event loop (its name is made durable by the caller). */
export async function writeSynced(path: string, data: string | Buffer): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Remove a file, off the event loop; a missing one is fine (rm would cost an lstat more). */
export async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
}
