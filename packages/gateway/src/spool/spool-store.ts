import { createReadStream } from 'node:fs';
import type { AcceptedMessage, MessageStore, StoredMessage } from '@mailward/adapter-smtp-server';
import { removesField, type Effect } from '@mailward/core';
import type { QueueRecord, RecipientRecord } from './queue-record';
import type { Spool } from './spool';
import { quarantineNotice } from '../delivery/quarantine-notice';
import { generated } from './generated-message';
import { belowReceived } from './below-received';
import { HOP_LIMIT, TooManyHops, hopCount } from './hop-count';
import { removeFile } from './durable-file';
import { receiveFile, streamOf } from './received-file';

/**
 * Routes, and sender/recipient rewrites, are envelope effects: the record carries their result.
 * bcc and a sender rewrite are mail+ actions: one decided at rcpt acts on the whole message, as at mail.
 */
function envelopeOf(message: AcceptedMessage): { sender: string; recipients: RecipientRecord[] } {
  const whole = [...message.effects, ...message.recipients.flatMap((r) => r.effects)];
  let sender = message.sender;
  for (const e of whole) if (e.type === 'rewriteSender' && e.from === sender) sender = e.to;
  const recipients: RecipientRecord[] = [];
  const add = (address: string, via?: string[]): void => {
    if (recipients.some((r) => r.address.toLowerCase() === address.toLowerCase())) return;
    recipients.push({ address, state: 'pending', ...(via ? { via } : {}) });
  };
  for (const r of message.recipients) {
    let address = r.address;
    let via: string[] | undefined;
    for (const e of r.effects) {
      if (e.type === 'rewriteRecipient' && e.from === address) address = e.to;
      if (e.type === 'route') via = e.via;
    }
    add(address, via);
  }
  for (const e of whole) if (e.type === 'bcc') add(e.address);
  return { sender, recipients };
}

/**
 * `from helo (name [ip]) by us (Mailward) with SMTP or ESMTP(S)(A) id ID; date`, as MTAs write it; with
 * `hideClient`, no `from` clause (RFC 5321 7.6: sites that must not disclose host names).
 */
function receivedLine(message: AcceptedMessage, id: string, hostname: string, at: number, hideClient: boolean): string {
  const c = message.client;
  const from = hideClient ? '' : `from ${message.helo ?? 'unknown'} (${c.hostname ? `${c.hostname} ` : ''}[${c.ip}]) `;
  // RFC 3848: SMTP after HELO; ESMTP after EHLO, S with TLS, A with a login.
  const protocol = message.plainSmtp ? 'SMTP' : `ESMTP${c.tls ? 'S' : ''}${c.authenticated ? 'A' : ''}`;
  const date = new Date(at).toUTCString().replace('GMT', '+0000');
  return `${from}by ${hostname} (Mailward) with ${protocol} id ${id}; ${date}`;
}

const MESSAGE_EFFECTS: ReadonlySet<Effect['type']> = new Set([
  'removeHeaders', 'keepHeaders', 'addHeader', 'rewriteHeader', 'masquerade', 'subjectPrefix', 'stripPart', 'dropPart', 'stripHtml',
]);

/**
 * The gateway's MessageStore: DATA goes to `tmp/` and is fsynced before the data stage decides;
 * commit writes the record and renames both files into `queue/` (or `quarantine/`), fsyncing the
 * directory (one fsync for the commits of concurrent sessions), before the 250 goes out. A
 * dropped message is acknowledged and removed; a failed or refused one is removed at once.
 */
export function spoolStore(spool: Spool, options: { hostname: string; now?: () => number }): MessageStore {
  const now = options.now ?? Date.now;
  return {
    async receive(data): Promise<StoredMessage> {
      // Room for the message and half of it again (its record, the records of retries, a
      // bounce), beside what the other messages in DATA hold: else 452, before a byte is written.
      const release = spool.reserved.take(spool.root, spool.reserved.perMessage / 2);
      const id = spool.newId();
      const file = spool.path('tmp', id, 'eml');
      // Fsynced before a 250 can go out (the commit waits for it); removed at once if DATA fails.
      const { size, sha256, ascii, bytes, synced } = await receiveFile(file, data).catch((err: unknown) => {
        release();
        throw err;
      });
      return {
        source: { size, open: () => (bytes ? streamOf(bytes) : createReadStream(file)) },
        async discard() {
          release();
          // The record too, when a commit failed after writing it.
          await Promise.all([removeFile(file), removeFile(spool.path('tmp', id, 'json'))]);
        },
        commit: (message) => commit(message).finally(release),
      };
      async function commit(message: AcceptedMessage): Promise<string> {
        // Before anything is written: a looping message must not be queued once more.
        const hops = hopCount(message.model);
        if (hops > HOP_LIMIT) throw new TooManyHops(hops);
        const verdict = message.decision.verdict as QueueRecord['verdict'];
        const { sender, recipients } = envelopeOf(message);
        const record: QueueRecord = {
          id, createdAt: now(), client: message.client, sender, recipients, verdict, fired: message.decision.fired,
          effects: message.effects.filter((e) => MESSAGE_EFFECTS.has(e.type)),
          attempts: 0, nextAttempt: now(), size, sha256,
          ...(message.helo ? { helo: message.helo } : {}),
          ...(message.body === '8BITMIME' ? { eightBit: true } : {}),
          ...(message.decision.quarantine ? { quarantine: { ...message.decision.quarantine, ...(message.decision.rule ? { rule: message.decision.rule } : {}), trace: message.decision.trace } } : {}),
        };
        if (verdict === 'drop') {
          await removeFile(file);
          return id; // told as any accepted message is: a sender must not learn its mail went nowhere
        }
        // Our own trace line (RFC 5321 4.4), added after the policy's edits so it is always there;
        // where the policy removes Received (internal hops), naming the client would put one back.
        const at = now();
        const hideClient = removesField(record.effects, 'Received', receivedLine(message, id, options.hostname, at, false));
        record.effects.push({ type: 'addHeader', rule: 'received', name: 'Received', value: receivedLine(message, id, options.hostname, at, hideClient) });
        const forward = message.decision.quarantine?.forward;
        if (verdict === 'quarantine' && forward) {
          // Endian's "forward to a quarantine address": delivered there, marked with why.
          record.effects = belowReceived(record.effects, { type: 'addHeader', rule: message.decision.rule ?? 'quarantine', name: 'X-Mailward-Quarantine', value: `${record.quarantine?.reason ?? ''}; for ${record.recipients.map((r) => r.address).join(', ')}` });
          record.recipients = [{ address: forward, state: 'pending' }];
        }
        // The edits write text that is not ASCII as encoded words or base64, but an address a
        // rewrite writes stays as it is: only effects all in ASCII vouch for the message leaving so.
        if (ascii && !/[^\x00-\x7f]/.test(JSON.stringify(record.effects))) record.ascii = true;
        // The notice goes with the commit: queued before the 250, or the message is not taken.
        const notify = record.quarantine?.notify ?? [];
        const subject = message.model.headers.find((h) => h.name.toLowerCase() === 'subject')?.decoded ?? '';
        const notice = verdict === 'quarantine' && notify.length > 0 ? generated(spool, quarantineNotice(record, notify, options.hostname, subject, spool.root), notify, now()) : undefined;
        await spool.commitReceived(record, verdict === 'quarantine' && !forward ? 'quarantine' : 'queue', { bytes, synced, ...(notice ? { notice } : {}) });
        return id;
      }
    },
  };
}
