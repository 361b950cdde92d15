import type { Readable } from 'node:stream';
import type { QueueRecord } from '../spool/queue-record';
import type { DeliveryConfig } from './delivery-config';
import type { Failover, HopOutcome } from './hop-outcome';
import { deliverToMaildir } from './maildir';
import { mxHops } from './mx-hops';
import { hopsFor, type Route } from './route';
import type { MessageBody } from './hop-plan';
import { relay } from './smtp-relay';

/** One group of recipients to its route; an MX route is looked up first, and a failed lookup is their outcome. */
async function deliverGroup(
  route: Route, addresses: string[], sender: string, open: () => Readable, config: DeliveryConfig, body: MessageBody, failedOver?: (failover: Failover) => void,
): Promise<HopOutcome[]> {
  if (route.kind !== 'mx') return relay(route.hops, sender, addresses, open, config, route.kind, body, failedOver);
  const found = await mxHops(route.domain!, config.mx!, config.ownListeners ?? []);
  if ('failure' in found) return addresses.map((address) => ({ address, ...found.failure }));
  return relay(found.hops, sender, addresses, open, config, 'mx', body, failedOver);
}

/** One delivery attempt for the record's pending recipients, grouped by next hop; `failedOver` hears of each hop failed over. */
export async function deliver(record: QueueRecord, open: () => Readable, config: DeliveryConfig, failedOver?: (failover: Failover) => void): Promise<HopOutcome[]> {
  const pending = record.recipients.filter((r) => r.state === 'pending');
  if (config.mode === 'maildir') {
    return deliverToMaildir(config.maildir ?? './var/mail', record.id, pending.map((r) => r.address), open);
  }
  const groups = new Map<string, { route: Route; addresses: string[] }>();
  for (const r of pending) {
    const route = hopsFor(r, config);
    const group = groups.get(route.key) ?? { route, addresses: [] };
    group.addresses.push(r.address);
    groups.set(route.key, group);
  }
  const outcomes: HopOutcome[] = [];
  for (const { route, addresses } of groups.values()) {
    // Whatever fails here is these recipients' temporary outcome (counted, backed off, bounced at
    // abandonTime); thrown, the attempt never counted and came back at every scan.
    const group = await deliverGroup(route, addresses, record.sender, open, config, { eightBit: record.eightBit === true, ascii: record.ascii === true, ...(record.utf8Report ? { utf8Report: true } : {}) }, failedOver).catch((err: Error) =>
      addresses.map((address) => ({ address, outcome: 'temporary' as const, detail: `delivery failed: ${err.message}` })));
    outcomes.push(...group);
  }
  return outcomes;
}
