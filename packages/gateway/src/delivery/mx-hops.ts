import type { Resolver } from 'node:dns/promises';
import { newResolver } from '@mailward/facts';
import type { MxDelivery, RecipientOutcome } from './delivery-config';
import type { Hop } from './route';
import { literalHops } from './address-literal';
import { isOwnAddress as isOurs } from './own-address';

type Failure = Omit<RecipientOutcome, 'address'>;

/** The hops to try for a domain in order, or why there are none. */
export type MxLookup = { hops: Hop[] } | { failure: Failure };

/**
 * A resolver for one lookup (a domain's MX, or a host's A and AAAA), cancelled at `dnsTimeout`:
 * c-ares' own timeout is per try and doubles on the retry, so a silent server held a query for
 * three times it.
 */
function resolverFor(mx: MxDelivery): Resolver {
  const budget = (mx.dnsTimeout ?? 5) * 1000;
  // A third of it for the first try (a cold recursion can take a second or two), the rest for the retry.
  return newResolver({ ...(mx.servers ? { servers: mx.servers } : {}), timeoutMs: budget, tryMs: Math.max(50, Math.floor(budget / 3)) });
}

const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);
// A query cancelled at the deadline (ECANCELLED) is one that got no answer in time.
const codeOf = (err: unknown): string => {
  const code = String((err as { code?: string }).code ?? (err as Error).message);
  return code === 'ECANCELLED' ? 'ETIMEOUT' : code;
};

/** A and AAAA of a host; `unsure` when a lookup failed for a reason other than "there is none". */
async function addressesOf(mx: MxDelivery, name: string): Promise<{ addresses: string[]; unsure?: string }> {
  const resolver = resolverFor(mx);
  const answers = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const addresses = answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : []));
  const failed = answers.find((a) => a.status === 'rejected' && !ABSENT.has(codeOf(a.reason)));
  return failed?.status === 'rejected' ? { addresses, unsure: `${name}: ${codeOf(failed.reason)}` } : { addresses };
}

/** MX records by preference, equal preferences in random order (RFC 5321 5.1). */
function byPreference(records: { exchange: string; priority: number }[]): { exchange: string; priority: number }[] {
  return records.map((r) => ({ r, k: Math.random() })).sort((a, b) => a.r.priority - b.r.priority || a.k - b.k).map(({ r }) => r);
}

/**
 * The addresses to deliver a domain's mail to: its MX hosts by preference, or the domain's own
 * A/AAAA when it has no MX (RFC 5321 5.1); an address literal's address, without DNS. An MX that
 * is this gateway is dropped with every MX of the same or a worse preference, so mail never
 * loops back to us.
 */
export async function mxHops(domain: string, mx: MxDelivery, own: { host: string; port: number }[]): Promise<MxLookup> {
  const port = mx.port ?? 25;
  if (domain.startsWith('[')) return literalHops(domain, port, (ip, p) => isOurs(ip, p, own));
  let records: { exchange: string; priority: number }[];
  try {
    records = await resolverFor(mx).resolveMx(domain);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENOTFOUND') return { failure: { outcome: 'permanent', status: '5.1.2', detail: `${domain}: no such domain (DNS: NXDOMAIN)` } };
    if (code !== 'ENODATA') return { failure: { outcome: 'temporary', status: '4.4.3', detail: `${domain}: MX lookup failed (${code}); will retry` } };
    records = [];
  }
  if (records.length === 1 && (records[0]!.exchange === '' || records[0]!.exchange === '.')) {
    return { failure: { outcome: 'permanent', status: '5.1.10', detail: `${domain}: the domain accepts no mail (null MX, RFC 7505)` } };
  }
  const implicit = records.length === 0;
  const hosts = implicit ? [{ exchange: domain, priority: 0 }] : byPreference(records);
  const hops: (Hop & { priority: number })[] = [];
  const unsure: string[] = [];
  let loopAt: { name: string; priority: number } | undefined;
  for (const { exchange, priority } of hosts) {
    if (loopAt && priority >= loopAt.priority) break;
    const found = await addressesOf(mx, exchange);
    if (found.unsure) unsure.push(found.unsure);
    if (found.addresses.some((ip) => isOurs(ip, port, own))) {
      loopAt = { name: exchange, priority };
      continue;
    }
    for (const ip of found.addresses) hops.push({ host: ip, port, name: exchange, priority });
  }
  const kept = loopAt ? hops.filter((h) => h.priority < loopAt!.priority) : hops;
  if (kept.length) return { hops: kept.map(({ priority: _p, ...hop }) => hop) };
  if (loopAt) return { failure: { outcome: 'permanent', status: '5.4.6', detail: `${domain}: MX ${loopAt.name} is this gateway (mail would loop back to itself)` } };
  if (unsure.length) return { failure: { outcome: 'temporary', status: '4.4.3', detail: `${domain}: address lookup failed (${unsure.join(', ')}); will retry` } };
  if (implicit) return { failure: { outcome: 'permanent', status: '5.1.2', detail: `${domain}: no MX and no address record` } };
  return { failure: { outcome: 'permanent', status: '5.4.4', detail: `${domain}: no address for its MX hosts (${hosts.map((h) => h.exchange).join(', ')})` } };
}
