import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Spool } from './spool';

/** What start-up removed from the spool. */
export interface Leftovers {
  /** Files in tmp/: messages being received, never acknowledged. */
  unacknowledged: number;
  /** `*.part` files: record (or file) writes a crash cut before their rename. */
  partial: number;
  /** Message files no record names in any area. */
  orphaned: number;
}

/** Areas that hold messages; corrupt/ is the admin's to look at and only loses its `.part` files. */
const AREAS = ['queue', 'deferred', 'quarantine', 'corrupt'] as const;

/**
 * Clear what a crash leaves in the spool. Only at start, before the listeners and the dequeuer
 * run: nothing of this process is writing then, so no live commit's file is touched.
 *
 * A `.part` is never the only copy of anything: the rename that would have made it the record
 * never happened, so the record it was replacing is still whole beside it (or the message was
 * never queued). A message file is kept while any area holds its id's record, since a move cut
 * between its two renames leaves them in different areas (the dequeuer finishes the move); with
 * no record anywhere it is a commit cut between its renames (its record was in tmp/, never
 * acknowledged) or a removal cut after the record went (delivered). No directory fsync: a
 * removal a crash undoes is done again at the next start.
 */
export function removeLeftovers(spool: Spool): Leftovers {
  const unacknowledged = spool.cleanTmp();
  let partial = 0;
  let orphaned = 0;
  for (const area of AREAS) {
    const names = readdirSync(join(spool.root, area));
    const here = new Set(names);
    for (const name of names) {
      const isPart = name.endsWith('.part');
      const id = name.slice(0, -'.eml'.length);
      // Looked for at the moment of removal, in every area: a `mailward quarantine release` run meanwhile moves it.
      const isOrphan = area !== 'corrupt' && name.endsWith('.eml') && !here.has(`${id}.json`) && !AREAS.some((a) => existsSync(spool.path(a, id, 'json')));
      if (!isPart && !isOrphan) continue;
      rmSync(join(spool.root, area, name), { force: true });
      if (isPart) partial++;
      else orphaned++;
    }
  }
  return { unacknowledged, partial, orphaned };
}
