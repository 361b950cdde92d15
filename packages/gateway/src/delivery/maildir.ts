import { createHash } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open as openFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { RecipientOutcome } from './delivery-config';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Longest folder name written as it is; a longer one is cut and named by a hash of it (file systems stop at 255). */
const NAME_MAX = 200;

/**
 * A safe folder name for an address (no path separators, no dot-dot), one per mailbox: A-Z in
 * lower case, and every other octet outside `a-z 0-9 @ . _ + -` (a leading dot too) as `%XX` of
 * its UTF-8. Each was a `_`, so `müller@`, `m/ller@` and `m_ller@` shared one folder: mail for
 * one mailbox read as another's. Only ASCII is folded (Unicode case folding made the Kelvin sign
 * a k), and a name over NAME_MAX octets keeps its start and gets `~` and 16 hex of its SHA-256.
 */
export function folderOf(address: string): string {
  const lower = (address || 'MAILER-DAEMON').replace(/[A-Z]/g, (c) => c.toLowerCase());
  const escaped = lower.replace(/[^a-z0-9@._+-]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  const name = escaped.startsWith('.') ? `%2E${escaped.slice(1)}` : escaped;
  if (name.length <= NAME_MAX) return name;
  return `${name.slice(0, NAME_MAX - 17)}~${createHash('sha256').update(name).digest('hex').slice(0, 16)}`;
}

/** fsync a folder, in the thread pool, so a rename in it survives a crash. */
async function syncFolder(path: string): Promise<void> {
  const handle = await openFile(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Whole or absent after a crash (write, fsync, rename, fsync the folder), with the waits for the disk off the event loop. */
async function writeMailFile(path: string, message: Buffer): Promise<void> {
  const temp = `${path}.part`;
  const handle = await openFile(temp, 'w', 0o600);
  try {
    await handle.writeFile(message);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
  await syncFolder(dirname(path));
}

/**
 * Deliver into `root/<recipient>/<id>.eml`, durably, one file per recipient. The fsyncs run in
 * the thread pool: two per recipient on the event loop stalled every session of the gateway for
 * as long as the disk took (a 50-recipient message, 100 fsyncs in a row).
 */
export async function deliverToMaildir(root: string, id: string, recipients: string[], open: () => Readable): Promise<RecipientOutcome[]> {
  // A failure is each recipient's temporary outcome (retried with backoff, bounced at
  // abandonTime), not the attempt's: thrown, it was never counted and came back at every scan.
  let message: Buffer;
  try {
    message = await bytesOf(open());
  } catch (err) {
    return recipients.map((address) => ({ address, outcome: 'temporary', detail: `cannot read the message: ${(err as Error).message}` }));
  }
  const outcomes: RecipientOutcome[] = [];
  for (const address of recipients) {
    const dir = join(root, folderOf(address));
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await writeMailFile(join(dir, `${id}.eml`), message);
      outcomes.push({ address, outcome: 'delivered' });
    } catch (err) {
      outcomes.push({ address, outcome: 'temporary', detail: `mail folder ${dir}: ${(err as Error).message}` });
    }
  }
  return outcomes;
}

/**
 * Remove the `<id>.eml.part` files a crash left in the mail folder: a delivery cut before its
 * rename, so the recipient was never marked delivered and the message is delivered again, under
 * its final name. Only at start, before the dequeuer runs; returns how many were removed.
 */
export function removePartialMail(root: string): number {
  if (!existsSync(root)) return 0;
  let removed = 0;
  for (const box of readdirSync(root, { withFileTypes: true })) {
    if (!box.isDirectory()) continue;
    for (const name of readdirSync(join(root, box.name))) {
      if (!name.endsWith('.eml.part')) continue;
      rmSync(join(root, box.name, name), { force: true });
      removed++;
    }
  }
  return removed;
}
