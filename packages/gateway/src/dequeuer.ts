import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { rewrite } from '@mailward/core';
import { deliver } from './delivery/deliver';
import type { DeliveryConfig } from './delivery/delivery-config';
import { buildDsn, type FailedRecipient } from './delivery/dsn';
import type { GatewayLog } from './log';
import type { QueueRecord } from './spool/queue-record';
import { SpoolCorruption, type Spool } from './spool/spool';
import { takeFlushRequest } from './spool/spool-admin';
import { queueGenerated } from './spool/generated-message';

export interface QueueTimes {
  /** How often the queue is scanned, ms (FireWall-1's scan_period: 2 s). */
  scanPeriod: number;
  /** First retry after a temporary failure, ms, doubled per attempt (resend_period: 600 s). */
  resendPeriod: number;
  /** After this long a message is returned to its sender, ms (abandon_time: 5 days). */
  abandonTime: number;
  /** Longest wait between retries, ms. */
  maxBackoff: number;
}

export interface DequeuerOptions {
  spool: Spool;
  delivery: DeliveryConfig;
  times: QueueTimes;
  hostname: string;
  secret: string;
  log: GatewayLog;
  /** Also send each bounce to this address. */
  postmaster?: string;
  /** Deliveries at once (FireWall-1's max_conns). Default 10. */
  maxConns?: number;
  /** Quarantined messages are deleted after this long, ms (0 or absent: kept). */
  quarantineRetention?: number;
  now?: () => number;
}

/**
 * Delivers from the spool: each due message is rewritten with its effects on the way out and
 * relayed; a recipient leaves the record only when delivered or bounced, and the message leaves
 * the spool only when no recipient is pending. Nothing in memory is needed to resume after a crash.
 */
export class Dequeuer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly busy = new Set<string>();
  private lastExpiry = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: DequeuerOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const tick = (): void => {
      if (this.stopped) return; // a pass that ends after stop() schedules no other
      this.timer = setTimeout(() => void this.runOnce().finally(tick), this.options.times.scanPeriod);
      this.timer.unref();
    };
    void this.runOnce().finally(tick);
  }

  /** Stop scanning and wait for deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One pass over the queue: deliver what is due. `force` ignores the retry times (flush). */
  runOnce(force = false): Promise<void> {
    if (this.running) return this.running;
    this.running = this.pass(force).finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(force: boolean): Promise<void> {
    const { spool, log } = this.options;
    if (takeFlushRequest(spool)) {
      force = true;
      log.event('info', { event: 'flush' });
    }
    this.expireQuarantine();
    const due: { id: string; area: 'queue' | 'deferred' }[] = [];
    for (const area of ['queue', 'deferred'] as const) {
      for (const id of spool.list(area)) {
        if (this.busy.has(id)) continue;
        // Not due yet: skip it without reading and hashing the message.
        const next = spool.nextAttemptOf(area, id);
        if (force || next === undefined || next <= this.now()) due.push({ id, area });
      }
    }
    // FireWall-1's max_conns: this many deliveries at once (each hub's pool has its own limit).
    const workers = Array.from({ length: Math.max(1, this.options.maxConns ?? 10) }, async () => {
      for (let item = due.shift(); item; item = due.shift()) await this.deliverOne(item.id, item.area);
    });
    await Promise.all(workers);
  }

  private async deliverOne(id: string, area: 'queue' | 'deferred'): Promise<void> {
    const { spool, log } = this.options;
    let record: QueueRecord | undefined;
    try {
      record = spool.read(area, id);
    } catch (err) {
      if (err instanceof SpoolCorruption) log.event('error', { event: 'spool-corrupt', id, problem: err.problem });
      return;
    }
    if (!record) return;
    this.busy.add(id);
    try {
      await this.attempt(record, area);
    } catch (err) {
      log.event('error', { event: 'delivery-error', id, error: (err as Error).message });
    } finally {
      this.busy.delete(id);
    }
  }

  /** Quarantined messages older than the retention are deleted (FireWall-1 kept them for days, not forever). */
  private expireQuarantine(): void {
    const { spool, log, quarantineRetention } = this.options;
    if (!quarantineRetention || this.now() - this.lastExpiry < 60_000) return;
    this.lastExpiry = this.now();
    for (const id of spool.list('quarantine')) {
      try {
        const r = spool.read('quarantine', id);
        if (r && this.now() - r.createdAt > quarantineRetention) {
          spool.remove('quarantine', id);
          log.event('info', { event: 'quarantine-expired', id, reason: r.quarantine?.reason });
        }
      } catch (err) {
        log.event('error', { event: 'spool-corrupt', id, problem: (err as Error).message });
      }
    }
  }

  /** The message as it leaves: the spooled bytes through the rewriter (what it changed is logged once). */
  private open(record: QueueRecord, area: 'queue' | 'deferred'): () => Readable {
    const file = this.options.spool.path(area, record.id, 'eml');
    let logged = false;
    return () => {
      const out = rewrite(createReadStream(file), record.effects, { secret: this.options.secret });
      out.on('end', () => {
        if (logged || out.changes.length === 0) return;
        logged = true;
        this.options.log.event('info', { event: 'rewritten', id: record.id, changes: out.changes });
      });
      return out;
    };
  }

  private async attempt(record: QueueRecord, area: 'queue' | 'deferred'): Promise<void> {
    const { spool, log } = this.options;
    const started = this.now();
    const outcomes = await deliver(record, this.open(record, area), this.options.delivery);
    record.attempts++;
    const failed: FailedRecipient[] = [];
    for (const o of outcomes) {
      const r = record.recipients.find((x) => x.address === o.address);
      if (!r) continue;
      if (o.outcome === 'delivered') r.state = 'delivered';
      else if (o.outcome === 'permanent') {
        r.state = 'bounced';
        failed.push({ address: r.address, detail: o.detail ?? 'refused', status: '5.0.0' });
      } else if (o.detail) r.lastError = o.detail;
      log.event('info', { event: 'delivery', id: record.id, recipient: o.address, outcome: o.outcome, detail: o.detail, attempt: record.attempts, ms: this.now() - started });
    }
    const abandoned = this.now() - record.createdAt >= this.options.times.abandonTime;
    if (abandoned) {
      for (const r of record.recipients.filter((x) => x.state === 'pending')) {
        r.state = 'bounced';
        failed.push({ address: r.address, detail: `could not be delivered in time: ${r.lastError ?? 'no answer'}`, status: '4.4.7' });
      }
    }
    if (failed.length > 0) this.bounce(record, area, failed);
    if (record.recipients.every((r) => r.state !== 'pending')) {
      spool.remove(area, record.id);
      log.event('info', { event: 'done', id: record.id, delivered: record.recipients.filter((r) => r.state === 'delivered').length, bounced: record.recipients.filter((r) => r.state === 'bounced').length });
      return;
    }
    const backoff = Math.min(this.options.times.resendPeriod * 2 ** (record.attempts - 1), this.options.times.maxBackoff);
    record.nextAttempt = this.now() + backoff;
    const lastError = record.recipients.find((r) => r.state === 'pending')?.lastError;
    if (lastError) record.lastError = lastError;
    // Waiting for a retry: FireWall-1's D_resend.
    spool.writeRecord(area, record);
    if (area === 'queue') spool.move(record.id, 'queue', 'deferred');
  }

  /** Queue one DSN to the sender (never for the null sender: no bounce to a bounce). */
  private bounce(record: QueueRecord, area: 'queue' | 'deferred', failed: FailedRecipient[]): void {
    const { spool, log, hostname } = this.options;
    if (record.sender === '') {
      log.event('warn', { event: 'bounce-suppressed', id: record.id, reason: 'null sender', recipients: failed.map((f) => f.address) });
      return;
    }
    const dsn = buildDsn({ reportingMta: hostname, id: record.id, to: record.sender, arrival: record.createdAt, failed, messageFile: spool.path(area, record.id, 'eml') });
    const to = [record.sender, ...(this.options.postmaster ? [this.options.postmaster] : [])];
    const id = queueGenerated(spool, dsn, to, this.now());
    log.event('info', { event: 'bounce', id: record.id, dsn: id, to: record.sender, recipients: failed.map((f) => f.address) });
  }
}
