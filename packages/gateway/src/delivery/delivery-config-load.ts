import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { isHostName, isHostPort } from '../host-port';
import type { DeliveryConfig, HopTls } from './delivery-config';

/** `file:line:col` of a path in gateway.yaml. */
type Where = (path: (string | number)[], key?: string) => string;

const withCa = (tls: HopTls | undefined, base: string): HopTls | undefined => (tls?.ca ? { ...tls, ca: resolve(base, tls.ca) } : tls);

/** "10.0.0.53", "127.0.0.1:5353", "[::1]:53": what node's Resolver takes. */
function isDnsServer(text: string): boolean {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return isIP(v6[1]!) === 6;
  const [host = '', port] = text.split(':');
  return (isIP(host) === 4 && (port === undefined || (/^\d+$/.test(port) && Number(port) <= 65535))) || isIP(text) === 6;
}

/**
 * The `delivery` section after schema validation: CA paths made absolute, and the mistakes a
 * schema cannot say (two defaults for unrouted mail, a password allowed out in clear, a DNS
 * server that is not an address) as problems with file:line:col.
 */
export function completeDelivery(delivery: DeliveryConfig, base: string, at: Where): { delivery: DeliveryConfig; problems: string[] } {
  const problems: string[] = [];
  if (delivery.mx && delivery.hubs?.length) {
    problems.push(`${at(['delivery', 'mx'])}: /delivery/mx and /delivery/hubs both take the mail no route takes; keep one (send your own domains to hubs with routes)`);
  }
  if (delivery.mx && delivery.smarthost) {
    problems.push(`${at(['delivery', 'mx'])}: /delivery/mx and /delivery/smarthost both take the mail no route takes; keep one`);
  }
  // The hubs take all the mail no route takes: a smarthost beside them would never be used.
  if (delivery.smarthost && delivery.hubs?.length) {
    problems.push(`${at(['delivery', 'smarthost'])}: /delivery/smarthost and /delivery/hubs both take the mail no route takes; keep one (send your own domains to hubs with routes)`);
  }
  if (delivery.smarthost?.user && delivery.smarthost.tls?.requireTLS === false && delivery.smarthost.port !== 465) {
    problems.push(`${at(['delivery', 'smarthost', 'tls', 'requireTLS'])}: /delivery/smarthost/tls/requireTLS false would send the password in clear; remove it`);
  }
  const relayKeys = (['hubs', 'routes', 'smarthost', 'mx'] as const).filter((k) => delivery[k] !== undefined);
  if (delivery.mode === 'maildir' && relayKeys.length > 0) {
    problems.push(`${at(['delivery', relayKeys[0]!])}: /delivery has mode maildir, which writes every message into the mail folder, so ${relayKeys.join(', ')} would not be used: write mode: smtp to relay, or remove ${relayKeys.length > 1 ? 'them' : 'it'}`);
  }
  if (delivery.mode === 'smtp' && !delivery.hubs?.length && !Object.keys(delivery.routes ?? {}).length && !delivery.smarthost && !delivery.mx) {
    problems.push(`${at(['delivery'])}: /delivery has mode smtp but nowhere to send: give it hubs, routes, a smarthost or mx`);
  }
  const hops = (list: string[], path: (string | number)[]): void => list.forEach((hop, i) => {
    if (!isHostPort(hop, { portOptional: true })) problems.push(`${at([...path, i])}: /${[...path, i].join('/')} "${hop}" is not host or host:port with a port from 1 to 65535, e.g. "10.0.0.10:25"`);
  });
  hops(delivery.hubs ?? [], ['delivery', 'hubs']);
  for (const [domain, list] of Object.entries(delivery.routes ?? {})) {
    if (!isHostName(domain)) {
      const plain = domain.replace(/^(\*\.)+/, '');
      problems.push(`${at(['delivery', 'routes'], domain)}: /delivery/routes "${domain}" is not a domain name${plain !== domain ? `: write ${plain} (a route also takes its subdomains)` : ''}`);
    }
    hops(list, ['delivery', 'routes', domain]);
  }
  (delivery.mx?.servers ?? []).forEach((server, i) => {
    if (!isDnsServer(server)) problems.push(`${at(['delivery', 'mx', 'servers', i])}: /delivery/mx/servers/${i} "${server}" is not an IP address or IP:port`);
  });
  const smarthost = delivery.smarthost ? { ...delivery.smarthost, ...(delivery.smarthost.tls ? { tls: withCa(delivery.smarthost.tls, base)! } : {}) } : undefined;
  const mx = delivery.mx ? { ...delivery.mx, ...(delivery.mx.tls ? { tls: withCa(delivery.mx.tls, base)! } : {}) } : undefined;
  return {
    delivery: {
      ...delivery,
      ...(delivery.tls ? { tls: withCa(delivery.tls, base)! } : {}),
      ...(smarthost ? { smarthost } : {}),
      ...(mx ? { mx } : {}),
      ...(delivery.mode === 'maildir' ? { maildir: resolve(base, delivery.maildir ?? 'var/mail') } : {}),
    },
    problems,
  };
}
