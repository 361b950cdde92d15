import { headersOf, listEntries, requestFlush } from '@mailward/gateway';
import { processIo, type Io } from '../io';
import { InputError, UsageError } from '../usage-error';
import { age, bracketed, elsewhere, openSpool, parseSpoolArgs } from './spool-location';

const USAGE = 'mailward spool list | show ID | flush | delete ID  [--spool DIR | --config FILE] [--json]';

/** `mailward spool`: the queue as FireWall-1's `fw mdq` showed it. */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const { action, id, json, values } = parseSpoolArgs(argv, USAGE, { list: false, show: true, flush: false, delete: true }, 'queue');
  const spool = openSpool(values);
  switch (action) {
    case 'list': {
      const queued = listEntries(spool, 'queue');
      const deferred = listEntries(spool, 'deferred');
      const entries = [...queued.entries, ...deferred.entries];
      const damaged = [...queued.damaged, ...deferred.damaged];
      if (json) io.out(`${JSON.stringify({ entries, damaged })}\n`);
      else {
        io.out(`${entries.length} message(s) in the queue\n`);
        for (const e of entries) {
          io.out(`${e.id}  age ${age(e.ageSeconds).padEnd(4)} attempts ${e.attempts}  next ${e.nextAttempt}  ${bracketed(e.sender)} -> ${e.recipients.join(', ')}${e.lastError ? `\n    last error: ${e.lastError}` : ''}\n`);
        }
      }
      for (const d of damaged) io.err(`damaged: ${d}\n`);
      return damaged.length > 0 ? 1 : 0;
    }
    case 'show': {
      if (!id) throw new UsageError(`show needs a queue id\n${USAGE}`);
      const area = spool.whereQueued(id);
      const record = area && spool.read(area, id);
      if (!area || !record) throw new InputError(`no message ${id} in the queue${elsewhere(spool, id, 'queue')}`, 'MW_NOT_QUEUED');
      io.out(json ? `${JSON.stringify(record)}\n` : `${headersOf(spool, area, id)}\n\n${JSON.stringify({ ...record, effects: record.effects.length }, null, 2)}\n`);
      return 0;
    }
    case 'flush':
      requestFlush(spool);
      io.out('flush requested: the gateway delivers everything due or not at its next scan\n');
      return 0;
    case 'delete': {
      if (!id) throw new UsageError(`delete needs a queue id\n${USAGE}`);
      let area = spool.whereQueued(id);
      if (!area) throw new InputError(`no message ${id} in the queue${elsewhere(spool, id, 'queue')}`, 'MW_NOT_QUEUED');
      // The running gateway may move it from queue/ to deferred/ meanwhile: removed where it went.
      for (let tries = 0; area && tries < 3; tries++) {
        spool.remove(area, id);
        area = spool.whereQueued(id);
      }
      if (area) throw new InputError(`${id} could not be deleted: it kept moving in the spool; try again`, 'MW_NOT_DELETED');
      io.out(`deleted ${id}\n`);
      return 0;
    }
    default:
      throw new UsageError(USAGE);
  }
}
