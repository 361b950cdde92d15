import type { DeliveryConfig } from './delivery-config';
import type { HopKind } from './hop-tls';
import type { RecipientRecord } from '../spool/queue-record';

export interface Hop {
  host: string;
  port: number;
  /** The host name behind `host` when it is an address we looked up (an MX host). */
  name?: string;
}

/** "host", "host:25", "[::1]:25" -> a hop. */
export function parseHop(text: string, defaultPort = 25): Hop {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return { host: v6[1]!, port: Number(v6[2] ?? defaultPort) };
  const [host = text, port] = text.split(':');
  return { host, port: Number(port ?? defaultPort) };
}

/** Where a group of recipients goes: fixed hops, or (kind `mx`) the MX hosts of `domain`. */
export interface Route {
  key: string;
  kind: HopKind;
  hops: Hop[];
  domain?: string;
}

/** Next hops for a recipient: its `route` effect, a domain route, the hubs, the domain's MX, or the smarthost. */
export function hopsFor(recipient: RecipientRecord, config: DeliveryConfig): Route {
  if (recipient.via?.length) return { key: recipient.via.join(','), kind: 'hub', hops: recipient.via.map((h) => parseHop(h)) };
  const domain = recipient.address.slice(recipient.address.lastIndexOf('@') + 1).toLowerCase();
  // The most specific route wins, whatever the order in gateway.yaml (as in Postfix's transport
  // map): with acme.example and research.acme.example both routed, research mail goes to its own.
  let best: { routed: string; hubs: string[] } | undefined;
  for (const [d, hubs] of Object.entries(config.routes ?? {})) {
    const routed = d.toLowerCase();
    if ((domain === routed || domain.endsWith(`.${routed}`)) && routed.length > (best?.routed.length ?? -1)) best = { routed, hubs };
  }
  if (best) return { key: best.hubs.join(','), kind: 'hub', hops: best.hubs.map((h) => parseHop(h)) };
  if (config.hubs?.length) return { key: config.hubs.join(','), kind: 'hub', hops: config.hubs.map((h) => parseHop(h)) };
  if (config.mx) return { key: `mx:${domain}`, kind: 'mx', hops: [], domain };
  if (config.smarthost) return { key: 'smarthost', kind: 'smarthost', hops: [{ host: config.smarthost.host, port: config.smarthost.port ?? 25 }] };
  return { key: 'none', kind: 'hub', hops: [] };
}
