import { statfsSync } from 'node:fs';
import type { Reply } from '@mailward/core';
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
 * once a second.
 */
export function admission(spool: Spool, limits: AdmissionLimits, now: () => number = Date.now): () => Reply | undefined {
  let checked = 0;
  let verdict: Reply | undefined;
  return () => {
    if (now() - checked < 1000) return verdict;
    checked = now();
    verdict = undefined;
    if (limits.spoolLimit !== undefined && spool.pending().length >= limits.spoolLimit) {
      verdict = { code: 452, status: '4.3.1', text: 'Insufficient system storage: the queue is full, try again later' };
    } else {
      const fs = statfsSync(spool.root);
      if (fs.bavail * fs.bsize < 1.5 * limits.maxSize) verdict = { code: 452, status: '4.3.1', text: 'Insufficient system storage, try again later' };
    }
    return verdict;
  };
}
