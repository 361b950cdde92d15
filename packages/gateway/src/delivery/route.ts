import type { DeliveryConfig } from './delivery-config';
import type { RecipientRecord } from '../spool/queue-record';

export interface Hop {
  host: string;
  port: number;
}

/** "host", "host:25", "[::1]:25" -> a hop. */
export function parseHop(text: string, defaultPort = 25): Hop {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return { host: v6[1]!, port: Number(v6[2] ?? defaultPort) };
  const [host = text, port] = text.split(':');
  return { host, port: Number(port ?? defaultPort) };
}

/** Next hops for a recipient: its `route` effect, a domain route, the hubs, or the smarthost. */
export function hopsFor(recipient: RecipientRecord, config: DeliveryConfig): { key: string; hops: Hop[]; smarthost: boolean } {
  if (recipient.via?.length) return { key: recipient.via.join(','), hops: recipient.via.map((h) => parseHop(h)), smarthost: false };
  const domain = recipient.address.slice(recipient.address.lastIndexOf('@') + 1).toLowerCase();
  for (const [d, hubs] of Object.entries(config.routes ?? {})) {
    const routed = d.toLowerCase();
    if (domain === routed || domain.endsWith(`.${routed}`)) return { key: hubs.join(','), hops: hubs.map((h) => parseHop(h)), smarthost: false };
  }
  if (config.hubs?.length) return { key: config.hubs.join(','), hops: config.hubs.map((h) => parseHop(h)), smarthost: false };
  if (config.smarthost) return { key: 'smarthost', hops: [{ host: config.smarthost.host, port: config.smarthost.port ?? 25 }], smarthost: true };
  return { key: 'none', hops: [], smarthost: false };
}
