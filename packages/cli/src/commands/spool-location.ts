import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { loadGatewayConfig, Spool } from '@mailward/gateway';
import { InputError, UsageError } from '../usage-error';
import { actAsSpoolOwner } from './spool-owner';

/** The spool a command works on: --spool DIR, the one in --config FILE, or ./var/spool (as its owner). */
export function openSpool(values: { spool?: string | undefined; config?: string | undefined }): Spool {
  const dir = values.spool ? resolve(values.spool) : values.config ? loadGatewayConfig(values.config).spool : resolve('var/spool');
  if (!existsSync(dir)) throw new InputError(`${dir}: no spool here (give --spool DIR or --config FILE)`, 'MW_NO_SPOOL');
  actAsSpoolOwner(dir);
  return new Spool(dir);
}

/**
 * Where else an id the admin named is, as the end of a "no message" error: a quarantined
 * message asked for as queued, or one the gateway put in corrupt/, is not simply unknown.
 */
export function elsewhere(spool: Spool, id: string, asked: 'queue' | 'quarantine'): string {
  if (asked !== 'quarantine' && spool.list('quarantine').includes(id)) return `: it is in quarantine (mailward quarantine show ${id})`;
  if (asked !== 'queue' && spool.whereQueued(id)) return `: it is in the queue (mailward spool show ${id})`;
  if (spool.list('corrupt').includes(id)) return `: it is in ${join(spool.root, 'corrupt')}/, damaged, its files kept there as they were found`;
  return '';
}

/** An entry's sender between angle brackets; the null sender, listed as `<>`, is that already. */
export const bracketed = (sender: string): string => (sender === '<>' ? sender : `<${sender}>`);

/** A duration in seconds as an admin reads it: 42s, 7m, 3h, 2d. */
export function age(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** The arguments `spool` and `quarantine` share: an action, an id, where the spool is, --json. */
export function parseSpoolArgs(argv: string[], usage: string): { action?: string; id?: string; json: boolean; values: { spool?: string; config?: string } } {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { spool: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } } });
    const [action, id] = positionals;
    return { ...(action ? { action } : {}), ...(id ? { id } : {}), json: Boolean(values.json), values: { ...(values.spool ? { spool: values.spool } : {}), ...(values.config ? { config: values.config } : {}) } };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
}
