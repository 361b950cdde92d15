import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * The one spelling of an IP address, so that two spellings of the same address compare equal:
 * IPv6 as RFC 5952 writes it (the WHATWG URL serializer does exactly that), and an IPv4-mapped
 * IPv6 address (`::ffff:127.0.0.1`, `::ffff:7f00:1`, `0:0:0:0:0:ffff:7f00:1`) as the IPv4
 * address it reaches. Anything else is returned as it is.
 */
export function canonicalIp(ip: string): string {
  if (!isIPv6(ip) || ip.includes('%')) return ip;
  const v6 = new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (!mapped) return v6;
  const [hi, lo] = [parseInt(mapped[1]!, 16), parseInt(mapped[2]!, 16)];
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

const isLoopback = (ip: string): boolean => /^127\./.test(ip) || ip === '::1';

/** Whether a connection to ip:port would reach one of our own listeners (`own`, as bound). */
export function isOwnAddress(ip: string, port: number, own: { host: string; port: number }[]): boolean {
  const target = canonicalIp(ip);
  const local = new Set(Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => canonicalIp(i.address))));
  return own.some((l) => {
    if (l.port !== port) return false;
    const host = canonicalIp(l.host);
    return host === target || (['0.0.0.0', '::', ''].includes(host) && (local.has(target) || isLoopback(target)));
  });
}
