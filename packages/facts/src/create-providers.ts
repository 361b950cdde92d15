import type { FactProviders, LookupContext } from '@mailward/core';
import { clamdProvider } from './clamd/clamd-provider';
import type { ClamdOptions } from './clamd/instream';
import { lookupDnsbl } from './dns/dnsbl';
import type { ResolverOptions } from './dns/resolver';
import { nameResolves } from './dns/resolves';
import { Greylist, type GreylistOptions } from './greylist/greylist';
import { MemoryGreylistStore } from './greylist/memory-store';
import { RedisGreylistStore, type RedisStoreOptions } from './greylist/redis-store';
import type { GreylistStore } from './greylist/store';
import { LookupCache } from './lookup-cache';
import { LookupCut } from './net/endpoint';
import { checkSpam, type SpamdOptions } from './spamd/spamc';
import { RecipientVerifier, type VerifyOptions } from './verify/recipient-verifier';

/** One line per lookup, for logs and metrics. */
export interface LookupEvent {
  provider: 'clamd' | 'spamd' | 'dnsbl' | 'dns' | 'greylist' | 'verify';
  key: string;
  ms: number;
  result?: unknown;
  error?: string;
}

export interface FactsConfig {
  clamd?: ClamdOptions;
  spamd?: SpamdOptions;
  dns?: ResolverOptions & { cacheSize?: number; cacheTtlMs?: number };
  greylist?: GreylistOptions & { redis?: RedisStoreOptions; maxEntries?: number };
  verify?: VerifyOptions;
  onLookup?: (event: LookupEvent) => void;
}

export interface FactsHandle {
  providers: FactProviders;
  /** Close connections (Redis), and cut the lookups still running (a scanner's socket). */
  close(): Promise<void>;
}

/** Build the fact providers a config asks for; a provider not configured is left out. */
export function createFactProviders(config: FactsConfig): FactsHandle {
  const report = config.onLookup ?? ((): void => undefined);
  const timed = async <T>(provider: LookupEvent['provider'], key: string, work: () => Promise<T>): Promise<T> => {
    const start = Date.now();
    try {
      const result = await work();
      report({ provider, key, ms: Date.now() - start, result });
      return result;
    } catch (err) {
      report({ provider, key, ms: Date.now() - start, error: (err as Error).message });
      throw err;
    }
  };
  const providers: FactProviders = {};
  let store: GreylistStore | undefined;
  // close() cuts the lookups still running: a silent clamd kept its socket, and a stopping
  // gateway's process, until its own timeout (60 s with timeoutMs: 60000), sessions long gone.
  const closing = new AbortController();
  const within = (ctx: LookupContext | undefined): LookupContext => ({ ...ctx, signal: ctx?.signal ? AbortSignal.any([ctx.signal, closing.signal]) : closing.signal });

  if (config.clamd) {
    const clamd = clamdProvider(config.clamd);
    providers.virus = (message, model, perPart, ctx) => timed('clamd', `${message.size} bytes`, () => clamd.virus(message, model, perPart, within(ctx)));
  }
  if (config.spamd) {
    const spamd = config.spamd;
    providers.spam = (message, ctx) => timed('spamd', `${message.size} bytes`, () => checkSpam(message.open(), message.size, spamd, within(ctx).signal));
  }
  if (config.dns) {
    const dns = config.dns;
    const cache = new LookupCache<string[] | boolean>(dns.cacheSize ?? 10_000, dns.cacheTtlMs ?? 300_000);
    providers.dnsbl = async (zone, query, ctx) => {
      const key = `${query}@${zone}`;
      const hit = cache.get(key);
      if (Array.isArray(hit)) return hit;
      const answer = await timed('dnsbl', key, () => lookupDnsbl(zone, query, dns, within(ctx).signal));
      cache.set(key, answer);
      return answer;
    };
    providers.resolves = async (name, of, ctx) => {
      const key = `${of}:${name.toLowerCase()}`;
      const hit = cache.get(key);
      if (typeof hit === 'boolean') return hit;
      const answer = await timed('dns', key, () => nameResolves(name, of, dns, within(ctx).signal));
      cache.set(key, answer);
      return answer;
    };
  }
  if (config.greylist) {
    const g = config.greylist;
    store = g.redis ? new RedisGreylistStore(g.redis) : new MemoryGreylistStore(g.maxEntries);
    const greylist = new Greylist(store, g);
    providers.greylist = (triplet) => timed('greylist', `${triplet.client}|${triplet.sender}|${triplet.recipient}`, () => greylist.check(triplet));
  }
  if (config.verify) {
    const verifier = new RecipientVerifier(config.verify);
    providers.recipientExists = (address, ctx) => timed('verify', address, () => verifier.exists(address, within(ctx).signal));
  }
  return {
    providers,
    close: async () => {
      closing.abort(new LookupCut('lookup cut: the fact providers were closed (shutdown)'));
      await store?.close?.();
    },
  };
}
