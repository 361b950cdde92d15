import { isIP } from 'node:net';
import type { FactProviders, SpamFact, VirusFact } from '@mailward/core';
import type { HarakaConnection, HarakaResultEntry } from './haraka-types';

/**
 * Fact providers that answer from what Haraka's own spamassassin, clamd and dns-list plugins
 * already found (transaction.results / connection.results), and ask `base` (@mailward/facts)
 * only when those plugins did not run or did not answer. Nothing here decides anything: the
 * answers are handed to the engine as facts.
 */
export function withHarakaResults(
  connection: HarakaConnection,
  base: FactProviders,
  zoneType: (zone: string) => DnsListType = defaultZoneType,
): FactProviders {
  const providers: FactProviders = { ...base };

  providers.spam = async (message, ctx) => {
    const fact = spamFromResults(connection.transaction?.results.get('spamassassin'));
    if (fact) return fact;
    if (!base.spam) {
      throw new Error(`no spam score: the spamassassin plugin did not score this message${said(connection.transaction?.results.get('spamassassin'))} and no spamd is configured in mailward.yaml`);
    }
    return base.spam(message, ctx);
  };

  providers.virus = async (message, model, perPart, ctx) => {
    // clamd scans the whole message; a per-part answer (to strip only the infected part) needs ours.
    if (!(perPart && base.virus)) {
      const fact = virusFromResults(connection.transaction?.results.get('clamd'));
      if (fact) return fact;
    }
    if (!base.virus) {
      throw new Error(`no virus verdict: the clamd plugin did not scan this message${said(connection.transaction?.results.get('clamd'))} and no clamd is configured in mailward.yaml`);
    }
    return base.virus(message, model, perPart, ctx);
  };

  providers.dnsbl = async (zone, query, ctx) => {
    // dns-list asks about the client's address: an RHSBL query (the sender's domain) is ours.
    const answer = isIP(query) ? dnsListAnswer(connection.results.get('dns-list'), zone, zoneType(zone)) : undefined;
    if (answer !== undefined && answer.length === 0) return [];
    if (base.dnsbl) return base.dnsbl(zone, query, ctx);
    if (answer !== undefined) return answer;
    throw new Error(`no answer for DNSBL zone ${zone}: dns-list did not query it and no DNS is configured in mailward.yaml`);
  };

  return providers;
}

/** What a scanner plugin recorded instead of an answer (" (clamd: err connecting)"), or ''. */
function said(entry: HarakaResultEntry | undefined): string {
  if (!entry) return ' (it has no results: is it in config/plugins?)';
  const parts = [...(entry.err ?? []).map((e) => `err ${e}`), ...(entry.skip ?? []).map((s) => `skip ${s}`)];
  return parts.length > 0 ? ` (it recorded ${parts.join(', ')})` : '';
}

/**
 * dns-list records only that a zone listed the client, not the A record; when we cannot ask
 * ourselves, report the conventional "listed" answer.
 */
export const DNSBL_LISTED = '127.0.0.2';

/** spamassassin's result ({score, required, tests}), or undefined when it has none. */
export function spamFromResults(entry: HarakaResultEntry | undefined): SpamFact | undefined {
  if (!entry || typeof entry.score !== 'number' || Number.isNaN(entry.score)) return undefined;
  const fact: SpamFact = { score: entry.score };
  if (typeof entry.required === 'number' && !Number.isNaN(entry.required)) fact.threshold = entry.required;
  if (typeof entry.tests === 'string' && entry.tests !== '') fact.symbols = entry.tests.split(',').map((t) => t.trim());
  return fact;
}

/** clamd's result: fail lists virus names, pass 'clean'; errors and skips give no answer. */
export function virusFromResults(entry: HarakaResultEntry | undefined): VirusFact | undefined {
  if (!entry) return undefined;
  if (entry.fail && entry.fail.length > 0) return { names: [...entry.fail] };
  if (entry.pass?.includes('clean') && !(entry.err && entry.err.length > 0)) return { names: [] };
  return undefined;
}

/** A zone's `type` in dns-list.ini: what dns-list's `pass` and `fail` mean for it. */
export type DnsListType = 'block' | 'allow' | 'karma';

/** dns-list's own defaults (its shipped dns-list.ini) for the zones that are not block lists. */
const DNS_LIST_DEFAULT_TYPES: Record<string, DnsListType> = {
  'list.dnswl.org': 'allow',
  'hostkarma.junkemailfilter.com': 'karma',
};

export function defaultZoneType(zone: string): DnsListType {
  return DNS_LIST_DEFAULT_TYPES[zone.toLowerCase()] ?? 'block';
}

/**
 * What dns-list found for `zone`, as the A records a DNSBL fact holds: [] not listed, the
 * records where its result tells them, undefined when it did not ask (or its result does not
 * say). dns-list records a listing differently per zone type: a block list `fail: zone` when
 * listed and `pass: zone` when not; an allow list (DNSWL) `pass: zone` when listed and nothing
 * when not; a karma list `pass` for 127.0.0.1, `fail` for 127.0.0.2, `msg` for other answers.
 * Reading every `pass` as "not listed" took a client listed in list.dnswl.org for one that is not.
 */
export function dnsListAnswer(entry: HarakaResultEntry | undefined, zone: string, type: DnsListType = 'block'): string[] | undefined {
  if (!entry) return undefined;
  const z = zone.toLowerCase();
  const has = (list: string[] | undefined): boolean => Boolean(list?.some((x) => String(x).toLowerCase() === z));
  switch (type) {
    case 'allow':
      return has(entry.pass) ? [DNSBL_LISTED] : undefined;
    case 'karma':
      if (has(entry.pass)) return ['127.0.0.1'];
      if (has(entry.fail)) return ['127.0.0.2'];
      return undefined;
    default:
      if (has(entry.fail)) return [DNSBL_LISTED];
      if (has(entry.pass)) return [];
      return undefined;
  }
}
