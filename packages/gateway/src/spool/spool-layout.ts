import { readdirSync } from 'node:fs';

// What Mailward keeps in a spool: the areas, the lock, the Message-ID key, a flush request, and
// a record being rewritten (`*.json.part` lives in the areas, never here), and the lost+found of
// a file system made for the spool.
const KNOWN = new Set(['tmp', 'queue', 'deferred', 'quarantine', 'corrupt', 'lock', 'secret', 'flush', 'lost+found']);
// What a start killed half-way through taking the lock leaves: its draft (`lock.PID`) or the
// stale lock it was moving aside (`lock.stale.PID`). Refused, they would keep the gateway from
// ever starting again after such a crash.
const LEFT_BY_A_CRASH = /^lock\.(stale\.)?\d+$/;

/** A spool folder holding what Mailward did not put there: another program's folder. */
export class ForeignSpoolError extends Error {
  readonly code = 'MW_SPOOL_FOREIGN';
  constructor(readonly root: string, readonly entries: string[]) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, and ${entries.length - 5} more` : '');
    super(`the spool ${root} is not a Mailward spool: it holds ${shown}, which Mailward did not put there; give gateway.yaml a spool: folder of its own (e.g. /var/spool/mailward), or empty this one. Mailward would chmod it 0700, empty its tmp/ and chown it to user:`);
  }
}

/**
 * Refuse a spool folder that exists with entries Mailward never makes. The spool is made mode
 * 0700, its tmp/ emptied at start and everything in it chowned to `user:`: done to /var/spool
 * itself (a gateway.yaml without spool: started from /), that breaks cron, mail and the rest.
 * A missing or empty folder, or one with only Mailward's own entries, is ours to use.
 */
export function checkSpoolLayout(root: string): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const foreign = names.filter((n) => !KNOWN.has(n) && !LEFT_BY_A_CRASH.test(n)).sort();
  if (foreign.length > 0) throw new ForeignSpoolError(root, foreign);
}
