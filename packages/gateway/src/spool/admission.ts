import { statfsSync } from 'node:fs';
import type { Reply } from '@mailward/core';
import type { GatewayLog } from '../log';
import type { Spool } from './spool';

export interface AdmissionLimits {
  /** Most messages in the queue before MAIL FROM is answered 452. */
  spoolLimit?: number;
  /** Largest message the policy allows, bytes: 1.5 times this must be free on the spool's disk. */
  maxSize: number;
}

/**
 * Whether the spool can take another message: FireWall-1's spool_limit, and a free-disk guard so
 * that a message is refused with 452 at MAIL FROM rather than lost half-written. Counted at most
 * once a second. Each change is logged (`spool-full` with why, `spool-accepting` when it is
 * over): without it the admin sees mail refused and nothing saying so.
 */
export function admission(spool: Spool, limits: AdmissionLimits, log?: GatewayLog, now: () => number = Date.now): () => Reply | undefined {
  let checked = 0;
  let verdict: Reply | undefined;
  return () => {
    if (now() - checked < 1000) return verdict;
    checked = now();
    const was = verdict;
    verdict = undefined;
    let why: Record<string, unknown> = {};
    const queued = limits.spoolLimit !== undefined ? spool.pending().length : 0;
    if (limits.spoolLimit !== undefined && queued >= limits.spoolLimit) {
      verdict = { code: 452, status: '4.3.1', text: 'Insufficient system storage: the queue is full, try again later' };
      why = { reason: 'spoolLimit', queued, spoolLimit: limits.spoolLimit };
    } else {
      const fs = statfsSync(spool.root);
      const free = fs.bavail * fs.bsize;
      if (free < 1.5 * limits.maxSize) {
        verdict = { code: 452, status: '4.3.1', text: 'Insufficient system storage, try again later' };
        why = { reason: 'disk', freeBytes: free, neededBytes: Math.ceil(1.5 * limits.maxSize) };
      }
    }
    if (verdict && verdict.text !== was?.text) log?.event('warn', { event: 'spool-full', spool: spool.root, ...why, reply: `${verdict.code} ${verdict.status}` });
    else if (!verdict && was) log?.event('info', { event: 'spool-accepting', spool: spool.root });
    return verdict;
  };
}
