import { createReadStream, existsSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { rewrite } from '@mailward/core';
import { deliver } from './delivery/deliver';
import type { DeliveryConfig } from './delivery/delivery-config';
import { buildDsn, refusalStatus, type FailedRecipient } from './delivery/dsn';
import { inForm, type MessageForm } from './delivery/message-form';
import { sentHeaders } from './delivery/sent-headers';
import type { GatewayLog } from './log';
import type { QueueRecord } from './spool/queue-record';
import { SpoolCorruption, type Spool } from './spool/spool';
import { takeFlushRequest } from './spool/spool-admin';
import { queueGenerated } from './spool/generated-message';
import { DeliverySlots } from './delivery/delivery-slots';
import { streamOf } from './spool/received-file';
import { expireQuarantine } from './spool/quarantine-expiry';

/** An attempt's outcome, to be written: the record as it now is, and the recipients still to bounce. */
interface Outcome {
  record: QueueRecord;
  area: 'queue' | 'deferred';
  failed: FailedRecipient[];
  /** The form each recipient still pending was last sent in, for a bounce at the abandon time. */
  forms: Map<string, MessageForm>;
}

/** Most bytes of fresh messages held in memory for their first attempt; past it they are read back from disk. */
const HELD_LIMIT = 64 * 1024 * 1024;

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
 *
 * A message this process has just committed is handed over at once, with its record, so its first
 * attempt costs no scan, no re-read and no re-hash of bytes that were hashed and fsynced on the
 * way in; the periodic scan finds the rest (retries, messages from before a restart, DSNs).
 */
export class Dequeuer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Messages being delivered or waiting for a slot: a scan leaves them alone. */
  private readonly claimed = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  /** When each deferred message is next due, as this process last wrote or read it. */
  private readonly dueAt = new Map<string, number>();
  /**
   * Messages whose last attempt could not be recorded (a read-only or failing spool): not tried
   * again before this time, or a message the hub took would be sent again at every scan.
   */
  private readonly heldUntil = new Map<string, number>();
  /**
   * Attempts whose outcome is known here but not on disk (the record, bounce or removal could not
   * be written: a full or failing spool). Their next try writes that outcome and delivers
   * nothing: read back from disk, the recipients the hub took would be pending and get the
   * message again at every try.
   */
  private readonly unrecorded = new Map<string, Outcome>();
  private readonly slots: DeliverySlots;
  private heldBytes = 0;
  private unsubscribe: (() => void) | undefined;
  private lastExpiry = 0;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: DequeuerOptions) {
    this.now = options.now ?? Date.now;
    this.slots = new DeliverySlots(Math.max(1, options.maxConns ?? 10));
  }

  start(): void {
    this.unsubscribe = this.options.spool.onQueued((record, bytes) => this.take(record, bytes));
    const tick = (): void => {
      if (this.stopped) return; // a pass that ends after stop() schedules no other
      this.timer = setTimeout(() => void this.scan(false).finally(tick), this.options.times.scanPeriod);
      this.timer.unref();
    };
    void this.scan(false).finally(tick);
  }

  /** Stop scanning and wait for deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    await this.running;
    await Promise.all(this.inFlight);
    // One last try to write what is known only here: lost, the hub would get those messages again.
    for (const outcome of this.unrecorded.values()) await this.record(outcome).catch(() => undefined);
  }

  /**
   * Deliver what is due, after the deliveries already in flight; resolves when all are done.
   * `force` ignores the retry times (flush).
   */
  async runOnce(force = false): Promise<void> {
    await this.running; // a pass under way would be handed back for ours, and `force` lost
    await Promise.all(this.inFlight);
    await this.scan(force);
  }

  private scan(force: boolean): Promise<void> {
    if (this.running) return this.running;
    // A pass that fails (readdir under EMFILE, say) is logged and the next one tries again: a
    // rejection nobody handles would end the process and every session in it.
    this.running = this.pass(force)
      .catch((err: unknown) => this.options.log.event('error', { event: 'scan-failed', message: err instanceof Error ? err.message : String(err) }))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * A message committed by this process a moment ago: its record is the one just written, and
   * its bytes, when the store held them and the budget allows, are delivered from memory.
   */
  private take(record: QueueRecord, bytes?: Buffer): void {
    if (this.stopped || this.claimed.has(record.id)) return;
    this.claimed.add(record.id);
    const held = bytes && this.heldBytes + bytes.length <= HELD_LIMIT ? bytes : undefined;
    this.heldBytes += held?.length ?? 0;
    const delivery = this.deliverClaimed(record.id, 'queue', async () => record, held);
    this.inFlight.add(delivery);
    void delivery
      .finally(() => {
        this.inFlight.delete(delivery);
        this.heldBytes -= held?.length ?? 0;
      })
      .catch(() => undefined); // deliverClaimed logs its own failures
  }

  private async pass(force: boolean): Promise<void> {
    const { spool, log } = this.options;
    if (takeFlushRequest(spool)) {
      force = true;
      log.event('info', { event: 'flush' });
    }
    const { quarantineRetention } = this.options;
    if (quarantineRetention && this.now() - this.lastExpiry >= 60_000) {
      this.lastExpiry = this.now();
      await expireQuarantine(spool, quarantineRetention, this.now(), log);
    }
    const due: { id: string; area: 'queue' | 'deferred' }[] = [];
    const listed = this.heldUntil.size > 0 ? new Set<string>() : undefined; // to forget the held that are gone
    for (const area of ['queue', 'deferred'] as const) {
      const ids = await spool.listAsync(area);
      if (listed) for (const id of ids) listed.add(id);
      if (area === 'deferred') {
        const present = new Set(ids); // a Set: thousands of deferred messages must not cost ids^2
        for (const id of this.dueAt.keys()) if (!present.has(id)) this.dueAt.delete(id);
      }
      for (const id of ids) {
        // One being committed is not yet acknowledged (nor durable): the commit hands it over.
        if (this.claimed.has(id) || spool.isCommitting(id)) continue;
        if (!force && (this.heldUntil.get(id) ?? 0) > this.now()) continue;
        if (this.unrecorded.has(id)) {
          due.push({ id, area }); // its outcome to write, whatever the record on disk says of when
          continue;
        }
        // Not due yet: skip it without hashing the message, and without reading a record we wrote.
        let next = area === 'deferred' ? this.dueAt.get(id) : undefined;
        if (next === undefined) {
          next = await spool.nextAttemptOf(area, id);
          if (area === 'deferred' && next !== undefined) this.dueAt.set(id, next);
        }
        if (force || next === undefined || next <= this.now()) due.push({ id, area });
      }
    }
    if (listed) {
      for (const id of this.heldUntil.keys()) if (!listed.has(id)) this.heldUntil.delete(id);
      for (const id of this.unrecorded.keys()) if (!listed.has(id)) this.unrecorded.delete(id); // deleted by the admin
    }
    await Promise.all(due.map(({ id, area }) => {
      if (this.claimed.has(id) || spool.isCommitting(id)) return undefined; // handed over, or being committed, since the listing
      this.claimed.add(id);
      return this.deliverClaimed(id, area, () => spool.load(area, id, true));
    }));
  }

  /** Wait for a slot (FireWall-1's max_conns), read the record, attempt; the claim ends with it. */
  private async deliverClaimed(id: string, area: 'queue' | 'deferred', read: () => Promise<QueueRecord | undefined>, bytes?: Buffer): Promise<void> {
    const { log } = this.options;
    await this.slots.acquire();
    try {
      if (this.stopped) return; // it stays in the spool for the next start
      const unrecorded = this.unrecorded.get(id);
      if (unrecorded) {
        await this.record(unrecorded);
        this.heldUntil.delete(id);
        return;
      }
      let record: QueueRecord | undefined;
      try {
        record = await read();
      } catch (err) {
        log.event('error', { event: 'spool-corrupt', id, problem: err instanceof SpoolCorruption ? err.problem : (err as Error).message });
        return;
      }
      if (record) await this.attempt(record, area, bytes);
      this.heldUntil.delete(id);
    } catch (err) {
      // Its outcome is not on disk: tried again after resendPeriod, as after a temporary failure.
      const retry = this.now() + this.options.times.resendPeriod;
      this.heldUntil.set(id, retry);
      log.event('error', { event: 'delivery-error', id, error: (err as Error).message, retry: new Date(retry).toISOString() });
    } finally {
      this.slots.release();
      this.claimed.delete(id);
    }
  }

  /** The message as it leaves: the spooled bytes through the rewriter (what it changed is logged once). */
  private open(record: QueueRecord, area: 'queue' | 'deferred', bytes?: Buffer): () => Readable {
    const file = this.options.spool.path(area, record.id, 'eml');
    let logged = false;
    return () => {
      // The strict DATA reader refused lines over 998 octets, bare CR and bare LF: header-only
      // effects copy the body bytes as they are instead of parsing MIME a second time.
      // An empty DATA is a message with no header fields and no body: given as such (the empty
      // line that ends the headers), since the rewriter adds nothing, our Received line either,
      // to no bytes at all (RFC 5321 4.4: every message gets its trace line).
      const source = record.size === 0 ? streamOf(Buffer.from('\r\n')) : bytes ? streamOf(bytes) : createReadStream(file);
      const out = rewrite(source, record.effects, { secret: this.options.secret, linesWithinLimit: true });
      out.on('end', () => {
        if (logged || out.changes.length === 0) return;
        logged = true;
        const removedHeaders = out.changes.flatMap((c) => (c.kind === 'header-removed' ? [c.name] : []));
        const removedParts = out.changes.flatMap((c) => (c.kind === 'part-stripped' || c.kind === 'part-dropped' ? [{ path: c.path, type: c.type, filename: c.filename, ...(c.member ? { member: c.member } : {}) }] : []));
        this.options.log.event('info', { event: 'rewritten', id: record.id, removedHeaders, removedParts, changes: out.changes });
      });
      return out;
    };
  }

  private async attempt(record: QueueRecord, area: 'queue' | 'deferred', bytes?: Buffer): Promise<void> {
    const { log } = this.options;
    const started = this.now();
    // A hop failed over is said when it happens: the message may still be delivered by the next.
    const outcomes = await deliver(record, this.open(record, area, bytes), this.options.delivery, ({ recipients, hop, error, next }) =>
      log.event('warn', { event: 'failover', id: record.id, recipients, hop, error, next }));
    record.attempts++;
    const failed: FailedRecipient[] = [];
    const forms = new Map<string, MessageForm>();
    for (const o of outcomes) {
      const r = record.recipients.find((x) => x.address === o.address);
      if (!r) continue;
      const form = o.form ? { form: o.form } : {};
      if (o.outcome === 'delivered') r.state = 'delivered';
      else if (o.outcome === 'permanent') {
        r.state = 'bounced';
        failed.push({ address: r.address, detail: o.detail ?? 'refused', status: o.status ?? refusalStatus(o.detail), ...(o.remoteMta ? { remoteMta: o.remoteMta } : {}), ...form });
      } else if (o.detail) {
        r.lastError = o.detail;
        if (o.remoteMta) r.lastRemoteMta = o.remoteMta;
        else delete r.lastRemoteMta;
        if (o.form) forms.set(r.address, o.form);
      }
      // `hop`: the one that answered (refused, deferred or took it); a failure of every hop names each in `detail`.
      log.event('info', { event: 'delivery', id: record.id, recipient: o.address, outcome: o.outcome, ...(o.hop ? { hop: o.hop } : {}), detail: o.detail, failedOver: o.failedOver, attempt: record.attempts, ms: this.now() - started });
    }
    const outcome: Outcome = { record, area, failed, forms };
    try {
      await this.record(outcome);
    } catch (err) {
      this.unrecorded.set(record.id, outcome);
      throw err;
    }
  }

  /**
   * Write an attempt's outcome: its bounce, then the record (removed when no recipient is
   * pending, else rewritten with the next attempt and moved to deferred/). Run again after a
   * failure, it does what is left: a bounce queued is not queued twice.
   */
  private async record(outcome: Outcome): Promise<void> {
    const { spool, log } = this.options;
    const { record, area } = outcome;
    if (!existsSync(spool.path(area, record.id, 'json'))) {
      // `mailward spool delete` while it was out: the removal stands. Writing the record back
      // would leave it without its message, to be found damaged and put in corrupt/.
      this.dueAt.delete(record.id);
      this.unrecorded.delete(record.id);
      log.event('info', { event: 'deleted-in-delivery', id: record.id, pending: record.recipients.filter((r) => r.state === 'pending').map((r) => r.address) });
      return;
    }
    // Time in the queue: a message released from quarantine counts from its release.
    const abandoned = this.now() - (record.releasedAt ?? record.createdAt) >= this.options.times.abandonTime;
    if (abandoned) {
      for (const r of record.recipients.filter((x) => x.state === 'pending')) {
        r.state = 'bounced';
        const form = outcome.forms.get(r.address);
        outcome.failed.push({ address: r.address, detail: `could not be delivered in time: ${r.lastError ?? 'no answer'}`, status: '4.4.7', ...(r.lastRemoteMta ? { remoteMta: r.lastRemoteMta } : {}), ...(form ? { form } : {}) });
      }
    }
    if (outcome.failed.length > 0) {
      await this.bounce(record, area, outcome.failed);
      outcome.failed = [];
    }
    if (record.recipients.every((r) => r.state !== 'pending')) {
      await spool.removeDurably(area, record.id);
      this.dueAt.delete(record.id);
      this.unrecorded.delete(record.id);
      log.event('info', { event: 'done', id: record.id, delivered: record.recipients.filter((r) => r.state === 'delivered').length, bounced: record.recipients.filter((r) => r.state === 'bounced').length });
      return;
    }
    const backoff = Math.min(this.options.times.resendPeriod * 2 ** (record.attempts - 1), this.options.times.maxBackoff);
    // Never past the abandon time: the attempt then is the last, and what still fails is bounced
    // at that time, not up to maxBackoff later.
    record.nextAttempt = Math.min(this.now() + backoff, (record.releasedAt ?? record.createdAt) + this.options.times.abandonTime);
    const lastError = record.recipients.find((r) => r.state === 'pending')?.lastError;
    if (lastError) record.lastError = lastError;
    // Waiting for a retry: FireWall-1's D_resend.
    await spool.persistRecord(outcome.area, record);
    if (outcome.area === 'queue') {
      await spool.moveDurably(record.id, 'queue', 'deferred');
      outcome.area = 'deferred';
    }
    this.unrecorded.delete(record.id);
    this.dueAt.set(record.id, record.nextAttempt);
  }

  /**
   * Queue one DSN for the recipients that failed, to the sender with a copy to postmaster. A
   * message from the null sender (a bounce, a notice) gets none to its sender: its failure goes
   * to postmaster, once, as a double bounce, from the null sender too; one to postmaster that
   * fails (that notice, or the copy) is logged and dropped, so no bounce loops. Without a
   * postmaster, the null sender's failures are logged and dropped.
   */
  private async bounce(record: QueueRecord, area: 'queue' | 'deferred', failed: FailedRecipient[]): Promise<void> {
    const { spool, log, hostname, postmaster } = this.options;
    const double = record.sender === '';
    let report = failed;
    if (double) {
      const isPostmaster = (address: string): boolean => address.toLowerCase() === postmaster?.toLowerCase();
      report = postmaster ? failed.filter((f) => !isPostmaster(f.address)) : [];
      const dropped = failed.filter((f) => !report.includes(f));
      if (dropped.length > 0) {
        log.event('warn', { event: 'bounce-suppressed', id: record.id, reason: postmaster ? 'undeliverable to postmaster' : 'null sender', recipients: dropped.map((f) => f.address) });
      }
      if (report.length === 0) return;
    }
    // The headers as the hub got them: a Received or X-Mailer the policy removed to hide internal
    // hosts must not come back out in the bounce, nor raw UTF-8 or an `8bit` label the hop was
    // sent as encoded words or base64. One header part per bounce: in the form of the first
    // recipient's hop that was sent one; rewritten only, when none was (refused before any was).
    const file = spool.path(area, record.id, 'eml');
    const rewritten = (): Readable => rewrite(createReadStream(file), record.effects, { secret: this.options.secret, linesWithinLimit: true });
    const form = report.find((f) => f.form)?.form ?? 'as-is';
    const headers = await sentHeaders(inForm(rewritten, form)()).catch((err: Error) => {
      // The bounce still goes out, without the headers rather than with the unfiltered ones.
      log.event('warn', { event: 'bounce-headers-unavailable', id: record.id, error: err.message });
      return Buffer.alloc(0);
    });
    const sendTo = double ? postmaster! : record.sender;
    const dsn = buildDsn({ reportingMta: hostname, id: record.id, to: sendTo, arrival: record.createdAt, lastAttempt: this.now(), failed: report, headers, ...(double ? { toPostmaster: true } : {}) });
    const copy = !double && postmaster && postmaster.toLowerCase() !== record.sender.toLowerCase() ? [postmaster] : [];
    const id = queueGenerated(spool, dsn, [sendTo, ...copy], this.now(), true);
    log.event(double ? 'warn' : 'info', { event: double ? 'double-bounce' : 'bounce', id: record.id, dsn: id, to: sendTo, recipients: report.map((f) => f.address) });
  }
}
