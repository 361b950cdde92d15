import type { FactProviders, SpamFact, VirusFact } from '@mailward/core';
import type { HarakaConnection, HarakaResultEntry } from './haraka-types';

/**
 * Fact providers that answer from what Haraka's own spamassassin, clamd and dns-list plugins
 * already found (transaction.results / connection.results), and ask `base` (@mailward/facts)
 * only when those plugins did not run or did not answer. Nothing here decides anything: the
 * answers are handed to the engine as facts.
 */
export function withHarakaResults(connection: HarakaConnection, base: FactProviders): FactProviders {
  const providers: FactProviders = { ...base };

  providers.spam = async (message, ctx) => {
    const fact = spamFromResults(connection.transaction?.results.get('spamassassin'));
    if (fact) return fact;
    if (!base.spam) throw new Error('no spam score: the spamassassin plugin did not score this message and no spamd is configured in mailward.yaml');
    return base.spam(message, ctx);
  };

  providers.virus = async (message, model, perPart, ctx) => {
    // clamd scans the whole message; a per-part answer (to strip only the infected part) needs ours.
    if (!(perPart && base.virus)) {
      const fact = virusFromResults(connection.transaction?.results.get('clamd'));
      if (fact) return fact;
    }
    if (!base.virus) throw new Error('no virus verdict: the clamd plugin did not scan this message and no clamd is configured in mailward.yaml');
    return base.virus(message, model, perPart, ctx);
  };

  providers.dnsbl = async (zone, query, ctx) => {
    const listed = dnsListAnswer(connection.results.get('dns-list'), zone);
    if (listed === false) return [];
    if (base.dnsbl) return base.dnsbl(zone, query, ctx);
    if (listed === true) return [DNSBL_LISTED];
    throw new Error(`no answer for DNSBL zone ${zone}: dns-list did not query it and no DNS is configured in mailward.yaml`);
  };

  return providers;
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

/** true: dns-list saw the client listed in `zone`; false: not listed; undefined: not asked. */
export function dnsListAnswer(entry: HarakaResultEntry | undefined, zone: string): boolean | undefined {
  if (!entry) return undefined;
  const z = zone.toLowerCase();
  if (entry.fail?.some((f) => f.toLowerCase() === z)) return true;
  if (entry.pass?.some((p) => p.toLowerCase() === z)) return false;
  return undefined;
}
