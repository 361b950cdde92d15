import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadGatewayConfig, Spool } from '@mailward/gateway';
import { InputError } from '../usage-error';

/** The spool a command works on: --spool DIR, the one in --config FILE, or ./var/spool. */
export function openSpool(values: { spool?: string | undefined; config?: string | undefined }): Spool {
  const dir = values.spool ? resolve(values.spool) : values.config ? loadGatewayConfig(values.config).spool : resolve('var/spool');
  if (!existsSync(dir)) throw new InputError(`${dir}: no spool here (give --spool DIR or --config FILE)`, 'MW_NO_SPOOL');
  return new Spool(dir);
}

/** A duration in seconds as an admin reads it: 42s, 7m, 3h, 2d. */
export function age(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}
