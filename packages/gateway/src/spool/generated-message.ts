import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { writeDurably } from './durable-file';
import type { QueueRecord } from './queue-record';
import type { Spool } from './spool';

/** A message the gateway writes itself, with its record. */
export interface Generated {
  record: QueueRecord;
  bytes: Buffer;
}

/** A message the gateway writes itself (a DSN, a quarantine notice), from the null sender, with a new id; `report`: a DSN. */
export function generated(spool: Spool, bytes: Buffer, to: string[], now: number, report = false): Generated {
  const record: QueueRecord = {
    id: spool.newId(), createdAt: now, client: { ip: '127.0.0.1', tls: false, authenticated: false }, sender: '',
    recipients: to.map((address) => ({ address, state: 'pending' as const })), effects: [], verdict: 'accept', fired: [],
    attempts: 0, nextAttempt: now, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
    // A bounce quoting UTF-8 goes on with BODY=8BITMIME (RFC 6152), as a client's message would.
    ...(bytes.some((b) => b >= 0x80) ? { eightBit: true, ...(report ? { utf8Report: true } : {}) } : { ascii: true }),
  };
  return { record, bytes };
}

/** Queue a message the gateway writes itself (a DSN: `report`), from the null sender. */
export function queueGenerated(spool: Spool, message: Buffer, to: string[], now: number, report = false): string {
  const { record } = generated(spool, message, to, now, report);
  const { id } = record;
  try {
    writeDurably(spool.path('tmp', id, 'eml'), message);
    spool.writeRecord('tmp', record);
  } catch (err) {
    // On a full disk what was written of it holds space the spool needs (tmp/ is emptied only at start).
    for (const file of [spool.path('tmp', id, 'eml'), spool.path('tmp', id, 'json')]) for (const f of [file, `${file}.part`]) rmSync(f, { force: true });
    throw err;
  }
  spool.move(id, 'tmp', 'queue');
  return id;
}
