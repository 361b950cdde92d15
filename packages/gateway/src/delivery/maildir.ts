import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { writeDurably } from '../spool/durable-file';
import type { RecipientOutcome } from './delivery-config';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A safe folder name for an address (no path separators, no dot-dot). */
function folderOf(address: string): string {
  return (address || 'MAILER-DAEMON').toLowerCase().replace(/[^a-z0-9@._+-]/g, '_').replace(/^\.+/, '_');
}

/** Deliver into `root/<recipient>/<id>.eml`, durably, one file per recipient. */
export async function deliverToMaildir(root: string, id: string, recipients: string[], open: () => Readable): Promise<RecipientOutcome[]> {
  const message = await bytesOf(open());
  return recipients.map((address) => {
    const dir = join(root, folderOf(address));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeDurably(join(dir, `${id}.eml`), message);
    return { address, outcome: 'delivered' as const };
  });
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
