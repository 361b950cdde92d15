import { mkdirSync } from 'node:fs';
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
