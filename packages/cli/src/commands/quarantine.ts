import { userInfo } from 'node:os';
import { headersOf, listEntries, releaseFromQuarantine } from '@mailward/gateway';
import { processIo, type Io } from '../io';
import { renderTrace } from '../render-session';
import { InputError, UsageError } from '../usage-error';
import { age, bracketed, elsewhere, openSpool, parseSpoolArgs } from './spool-location';

const USAGE = 'mailward quarantine list | show ID | release ID | delete ID  [--spool DIR | --config FILE] [--json]';

/** `mailward quarantine`: what the policy held back, and the admin's way to release or delete it. */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const { action, id, json, values } = parseSpoolArgs(argv, USAGE, { list: false, show: true, release: true, delete: true }, 'quarantine');
  const admin = userInfo().username; // who runs it, before openSpool may act as the spool's owner
  const spool = openSpool(values);
  const need = (): string => {
    if (!id) throw new UsageError(`${action} needs a quarantine id\n${USAGE}`);
    if (!spool.list('quarantine').includes(id)) throw new InputError(`no message ${id} in quarantine${elsewhere(spool, id, 'quarantine')}`, 'MW_NOT_QUARANTINED');
    return id;
  };
  switch (action) {
    case 'list': {
      const { entries, damaged } = listEntries(spool, 'quarantine');
      if (json) io.out(`${JSON.stringify({ entries, damaged })}\n`);
      else {
        io.out(`${entries.length} message(s) in quarantine\n`);
        for (const e of entries) io.out(`${e.id}  age ${age(e.ageSeconds).padEnd(4)} ${e.reason ?? ''} (rule ${e.rule ?? '-'})  ${bracketed(e.sender)} -> ${e.recipients.join(', ')}\n`);
      }
      for (const d of damaged) io.err(`damaged: ${d}\n`);
      return damaged.length > 0 ? 1 : 0;
    }
    case 'show': {
      const record = spool.read('quarantine', need());
      if (!record) throw new InputError(`no message ${id} in quarantine`, 'MW_NOT_QUARANTINED'); // released or deleted meanwhile
      if (json) io.out(`${JSON.stringify(record)}\n`);
      else {
        io.out(`${headersOf(spool, 'quarantine', record.id)}\n\n`);
        io.out(`reason: ${record.quarantine?.reason ?? ''}\nrule: ${record.quarantine?.rule ?? ''}\nfired: ${record.fired.join(', ')}\n`);
        io.out(`client: ${record.client.ip}\nenvelope: <${record.sender}> -> ${record.recipients.map((r) => r.address).join(', ')}\n`);
        // Held before the trace was kept with the message: there is none to show.
        const trace = record.quarantine?.trace;
        io.out(trace ? `trace (data):\n${renderTrace(trace).join('\n')}\n` : 'trace: not recorded\n');
      }
      return 0;
    }
    case 'release': {
      const released = releaseFromQuarantine(spool, need(), admin);
      io.out(`released ${released.id}: queued for ${released.recipients.map((r) => r.address).join(', ')}\n`);
      return 0;
    }
    case 'delete':
      spool.remove('quarantine', need());
      io.out(`deleted ${id}\n`);
      return 0;
    default:
      throw new UsageError(USAGE);
  }
}
