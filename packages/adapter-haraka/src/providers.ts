import type { FactProviders } from '@mailward/core';
import type { HarakaSettings } from './settings';

type FactsModule = typeof import('@mailward/facts');

/** Our fact providers and how to let go of them (Redis clients, caches). */
export interface ProviderSet {
  providers: FactProviders;
  /** The `facts` configuration they were made from, to tell whether a reload changed it. */
  key: string;
  close(): Promise<void>;
}

/**
 * Our own fact providers (clamd, spamd, DNS...) from mailward.yaml's `facts`, or none. The
 * module is loaded only when configured: a Haraka that relies on its own scanners' results
 * never opens sockets or loads Redis clients for us.
 *
 * `previous` (the set in force) is kept when `facts` did not change: a reload of the policy
 * file must not forget the greylisting triplets of a memory store, empty the DNS cache or open
 * a second Redis client. When it changed, the new set replaces the old, which is closed.
 */
export function createProviders(settings: HarakaSettings, previous?: ProviderSet): ProviderSet {
  const key = JSON.stringify(settings.facts ?? null);
  if (previous && previous.key === key) return previous;
  if (!settings.facts) return { providers: {}, key, close: async () => undefined };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createFactProviders } = require('@mailward/facts') as FactsModule;
  const handle = createFactProviders(settings.facts as Parameters<FactsModule['createFactProviders']>[0]);
  return { providers: handle.providers, key, close: () => handle.close() };
}
