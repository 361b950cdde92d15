import type { GatewayLog } from '../log';
import type { Spool } from './spool';

/**
 * Delete quarantined messages older than `retention` ms (FireWall-1 kept them for days, not
 * forever). Only each record's age is read: the message is checked when it is released or shown.
 */
export async function expireQuarantine(spool: Spool, retention: number, now: number, log: GatewayLog): Promise<void> {
  for (const id of await spool.listAsync('quarantine')) {
    try {
      const r = (await spool.peekRecord('quarantine', id)) ?? (await spool.load('quarantine', id));
      if (r && now - r.createdAt > retention) {
        await spool.removeDurably('quarantine', id);
        log.event('info', { event: 'quarantine-expired', id, reason: r.quarantine?.reason });
      }
    } catch (err) {
      log.event('error', { event: 'spool-corrupt', id, problem: (err as Error).message });
    }
  }
}
