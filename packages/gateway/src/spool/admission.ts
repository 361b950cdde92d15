import type { Reply } from '@mailward/core';
import type { GatewayLog } from '../log';
import type { Spool } from './spool';
import { freeBytes } from './reserved-space';

export interface AdmissionLimits {
  /** Most messages in the queue before MAIL FROM is answered 452. */
  spoolLimit?: number;
  /**
   * Largest message the policy allows, bytes: 1.5 times this must be free on the spool's disk,
   * beside what the messages in DATA hold (this much each), at MAIL FROM; at DATA, this and half of it again.
   */
  maxSize: number;
}

/**
 * Whether the spool can take another message: FireWall-1's spool_limit, and a free-disk guard so
 * that a message is refused with 452 at MAIL FROM rather than lost half-written. Counted at most
 * once a second, and again as soon as the commits since then reach spoolLimit. Each change is
 * logged (`spool-full` with why, `spool-accepting` when it is over): without it the admin sees
 * mail refused and nothing saying so.
 */
export function admission(spool: Spool, limits: AdmissionLimits, log?: GatewayLog, now: () => number = Date.now): () => Reply | undefined {
  let checked = 0;
  let verdict: Reply | undefined;
  // The count at the last look plus the messages committed since: with the count alone, cached
  // for a second, a burst went past the limit (4 queued with spoolLimit 2).
  let queued = 0;
  if (limits.spoolLimit !== undefined) {
    spool.onQueued(() => void queued++);
    spool.reserved.queueLimit = { messages: limits.spoolLimit, queued: () => queued };
  }
  // Each message in DATA holds maxSize from now on: see ReservedSpace.
  spool.reserved.perMessage = limits.maxSize;
  return () => {
    const reached = limits.spoolLimit !== undefined && verdict === undefined && queued >= limits.spoolLimit;
    if (now() - checked < 1000 && !reached) return verdict;
    checked = now();
    const was = verdict;
    verdict = undefined;
    let why: Record<string, unknown> = {};
    queued = limits.spoolLimit !== undefined ? spool.pending().length : 0;
    if (limits.spoolLimit !== undefined && queued >= limits.spoolLimit) {
      verdict = { code: 452, status: '4.3.1', text: 'Insufficient system storage: the queue is full, try again later' };
      why = { reason: 'spoolLimit', queued, spoolLimit: limits.spoolLimit };
    } else {
      const free = freeBytes(spool.root);
      const reserved = spool.reserved.bytes;
      if (free - reserved < 1.5 * limits.maxSize) {
        verdict = { code: 452, status: '4.3.1', text: 'Insufficient system storage, try again later' };
        why = { reason: 'disk', freeBytes: free, reservedBytes: reserved, neededBytes: Math.ceil(1.5 * limits.maxSize) };
      }
    }
    if (verdict && verdict.text !== was?.text) log?.event('warn', { event: 'spool-full', spool: spool.root, ...why, reply: `${verdict.code} ${verdict.status}` });
    else if (!verdict && was) log?.event('info', { event: 'spool-accepting', spool: spool.root });
    return verdict;
  };
}
