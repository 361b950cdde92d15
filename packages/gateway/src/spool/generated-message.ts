import { createHash } from 'node:crypto';
import { writeDurably } from './durable-file';
import type { Spool } from './spool';

/** Queue a message the gateway writes itself (a DSN, a quarantine notice), from the null sender. */
export function queueGenerated(spool: Spool, message: Buffer, to: string[], now: number): string {
  const id = spool.newId();
  writeDurably(spool.path('tmp', id, 'eml'), message);
  spool.writeRecord('tmp', {
    id, createdAt: now, client: { ip: '127.0.0.1', tls: false, authenticated: false }, sender: '',
    recipients: to.map((address) => ({ address, state: 'pending' as const })), effects: [], verdict: 'accept', fired: [],
    attempts: 0, nextAttempt: now, size: message.length, sha256: createHash('sha256').update(message).digest('hex'),
    // A bounce quoting UTF-8 goes on with BODY=8BITMIME (RFC 6152), as a client's message would.
    ...(message.some((b) => b >= 0x80) ? { eightBit: true } : { ascii: true }),
  });
  spool.move(id, 'tmp', 'queue');
  return id;
}
