import type { Readable } from 'node:stream';
import type { QueueRecord } from '../spool/queue-record';
import type { DeliveryConfig, RecipientOutcome } from './delivery-config';
import { deliverToMaildir } from './maildir';
import { hopsFor } from './route';
import { relay } from './smtp-relay';

/** One delivery attempt for the record's pending recipients, grouped by next hop. */
export async function deliver(record: QueueRecord, open: () => Readable, config: DeliveryConfig): Promise<RecipientOutcome[]> {
  const pending = record.recipients.filter((r) => r.state === 'pending');
  if (config.mode === 'maildir') {
    return deliverToMaildir(config.maildir ?? './var/mail', record.id, pending.map((r) => r.address), open);
  }
  const groups = new Map<string, { route: ReturnType<typeof hopsFor>; addresses: string[] }>();
  for (const r of pending) {
    const route = hopsFor(r, config);
    const group = groups.get(route.key) ?? { route, addresses: [] };
    group.addresses.push(r.address);
    groups.set(route.key, group);
  }
  const outcomes: RecipientOutcome[] = [];
  for (const { route, addresses } of groups.values()) {
    outcomes.push(...(await relay(route.hops, record.sender, addresses, open, config, route.smarthost ? config.smarthost : undefined)));
  }
  return outcomes;
}
