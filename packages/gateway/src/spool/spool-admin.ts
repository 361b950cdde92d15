import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { belowReceived } from './below-received';
import type { QueueRecord } from './queue-record';
import type { Spool, SpoolArea } from './spool';

/** One line of `mailward spool list` / `mailward quarantine list`. */
export interface SpoolEntry {
  id: string;
  ageSeconds: number;
  sender: string;
  recipients: string[];
  attempts: number;
  nextAttempt?: string;
  lastError?: string;
  reason?: string;
  rule?: string;
}

/** The entries of an area, oldest first; damaged ones are moved to corrupt/ and reported. */
export function listEntries(spool: Spool, area: SpoolArea, now = Date.now()): { entries: SpoolEntry[]; damaged: string[] } {
  const entries: SpoolEntry[] = [];
  const damaged: string[] = [];
  for (const id of spool.list(area)) {
    let r: QueueRecord | undefined;
    try {
      r = spool.read(area, id);
    } catch (err) {
      damaged.push(`${id}: ${(err as Error).message}`);
      continue;
    }
    if (!r) continue;
    entries.push({
      id, ageSeconds: Math.round((now - r.createdAt) / 1000), sender: r.sender || '<>',
      recipients: r.recipients.filter((x) => x.state === 'pending' || (area !== 'queue' && area !== 'deferred')).map((x) => x.address),
      attempts: r.attempts,
      ...(area === 'queue' || area === 'deferred' ? { nextAttempt: new Date(r.nextAttempt).toISOString() } : {}),
      ...(r.lastError ? { lastError: r.lastError } : {}),
      ...(r.quarantine ? { reason: r.quarantine.reason, ...(r.quarantine.rule ? { rule: r.quarantine.rule } : {}) } : {}),
    });
  }
  return { entries, damaged };
}

/** The header block of a spooled message. */
export function headersOf(spool: Spool, area: SpoolArea, id: string): string {
  const text = readFileSync(spool.path(area, id, 'eml')).subarray(0, 256 * 1024).toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

const FLUSH = 'flush';

/** Ask the running gateway to deliver everything now (it checks at each scan). */
export function requestFlush(spool: Spool): void {
  writeFileSync(join(spool.root, FLUSH), `${new Date().toISOString()}\n`, { mode: 0o600 });
}

/** Whether a flush was asked for; clears the request. */
export function takeFlushRequest(spool: Spool): boolean {
  const file = join(spool.root, FLUSH);
  if (!existsSync(file)) return false;
  try {
    rmSync(file, { force: true });
  } catch {
    // another pass took it
  }
  return true;
}

/** Send a quarantined message on to its recipients, marked with a release header. */
export function releaseFromQuarantine(spool: Spool, id: string, by: string, now = Date.now()): QueueRecord {
  const record = spool.read('quarantine', id);
  if (!record) throw new Error(`no message ${id} in quarantine`);
  const released: QueueRecord = {
    ...record,
    verdict: 'accept',
    effects: belowReceived(record.effects, { type: 'addHeader', rule: 'quarantine-release', name: 'X-Mailward-Released', value: `${new Date(now).toUTCString()} by ${by} (${record.quarantine?.reason ?? 'quarantine'})` }),
    attempts: 0,
    // Its time in the queue starts now: counted from its arrival, one held past abandonTime
    // would be bounced at its first temporary failure.
    releasedAt: now,
    nextAttempt: now,
  };
  spool.writeRecord('quarantine', released);
  // The record first: a release cut between the two renames leaves it in queue/, where the
  // dequeuer fetches its message from quarantine/ (message first, the record would stay in
  // quarantine/ with its message gone, a release nobody finishes).
  spool.move(id, 'quarantine', 'queue', 'json');
  return released;
}
