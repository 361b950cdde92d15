import { isIP } from 'node:net';
import { isNoData, newResolver, type ResolverOptions } from './resolver';

/** The DNSBL query name for an address: reversed octets (IPv4) or nibbles (IPv6). */
export function reversedName(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').reverse().join('.');
  if (isIP(ip) === 6) {
    const [head = '', tail = ''] = ip.split('::');
    const groups = (s: string): string[] => (s ? s.split(':') : []);
    const h = groups(head);
    const t = groups(tail);
    const full = [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
    return full.map((g) => g.padStart(4, '0')).join('').split('').reverse().join('.');
  }
  throw new Error(`not an IP address: ${ip}`);
}

/**
 * Look `query` up in `zone`: an IP (DNSBL) or a domain (RHSBL). Resolves to the A records
 * returned ([] when not listed); rejects when the zone could not be asked.
 */
export async function lookupDnsbl(zone: string, query: string, options: ResolverOptions, signal?: AbortSignal): Promise<string[]> {
  const name = isIP(query) ? `${reversedName(query)}.${zone}` : `${query.replace(/\.$/, '')}.${zone}`;
  try {
    return await newResolver(options, signal).resolve4(name);
  } catch (err) {
    if (isNoData(err)) return [];
    throw new Error(`DNSBL ${zone}: ${(err as Error).message}`);
  }
}
