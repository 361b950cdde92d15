import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { ForeignSpoolError, GatewayConfigError, loadGatewayConfig, Spool } from '@mailward/gateway';
import { InputError, UsageError } from '../usage-error';
import { actAsSpoolOwner } from './spool-owner';

/** The spool gateway.yaml names; a file that is missing or not valid is reported as `serve` reports it. */
function spoolOf(config: string): string {
  if (!existsSync(config)) throw new InputError(`${config}: no such configuration file`, 'MW_NO_CONFIG');
  try {
    return loadGatewayConfig(config).spool;
  } catch (err) {
    if (err instanceof GatewayConfigError) throw new InputError(err.message, err.code);
    throw err;
  }
}

/** The spool a command works on: --spool DIR, the one in --config FILE, or ./var/spool (as its owner). */
export function openSpool(values: { spool?: string | undefined; config?: string | undefined }): Spool {
  const dir = values.spool ? resolve(values.spool) : values.config ? spoolOf(values.config) : resolve('var/spool');
  if (!existsSync(dir)) throw new InputError(`${dir}: no spool here (give --spool DIR or --config FILE)`, 'MW_NO_SPOOL');
  actAsSpoolOwner(dir);
  try {
    return new Spool(dir);
  } catch (err) {
    if (err instanceof ForeignSpoolError) throw new InputError(err.message, err.code);
    throw err;
  }
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

/**
 * The arguments `spool` and `quarantine` share: an action (of `actions`, true for those that take
 * an id), an id, where the spool is, --json. A wrong action or a missing id is bad usage (exit 2)
 * before any spool is looked for, so it is not reported as a missing spool.
 */
export function parseSpoolArgs(argv: string[], usage: string, actions: Readonly<Record<string, boolean>>, idWord: string): { action: string; id?: string; json: boolean; values: { spool?: string; config?: string } } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { spool: { type: 'string' }, config: { type: 'string' }, json: { type: 'boolean' } } });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  const { values, positionals } = parsed;
  // Both name a spool: taking one and ignoring the other would act on a spool not asked for.
  if (values.spool && values.config) throw new UsageError(`give --spool DIR or --config FILE, not both (--config ${values.config} names its own spool)\n${usage}`);
  const [action, id] = positionals;
  if (!action || !Object.hasOwn(actions, action)) throw new UsageError(usage);
  if (actions[action] && !id) throw new UsageError(`${action} needs a ${idWord} id\n${usage}`);
  return { action, ...(id ? { id } : {}), json: Boolean(values.json), values: { ...(values.spool ? { spool: values.spool } : {}), ...(values.config ? { config: values.config } : {}) } };
}
