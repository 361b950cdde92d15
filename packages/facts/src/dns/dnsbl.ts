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
  let answers: string[];
  try {
    answers = await newResolver(options, signal).resolve4(name);
  } catch (err) {
    if (isNoData(err)) return [];
    throw new Error(`DNSBL ${zone}: ${(err as Error).message}`);
  }
  const listings = answers.filter(isListing);
  if (listings.length > 0 || answers.length === 0) return listings;
  // Not a listing: an error code (Spamhaus answers 127.255.255.254 to queries through a public
  // resolver) or a resolver's wildcard. Taken as "listed", every client would be refused.
  throw new Error(`DNSBL ${zone}: answered ${answers.join(', ')}, not a listing (RFC 5782: 127.0.0.0/8; 127.255.255.x are the zone's error codes)`);
}

/** A DNSBL answer that lists the query: in 127.0.0.0/8 (RFC 5782 2.3), but not 127.255.255.0/24. */
function isListing(answer: string): boolean {
  return answer.startsWith('127.') && !answer.startsWith('127.255.255.');
}
