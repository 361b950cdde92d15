import type { FactProviders } from '@mailward/core';
import type { HarakaSettings } from './settings';

type FactsModule = typeof import('@mailward/facts');

/**
 * Our own fact providers (clamd, spamd, DNS...) from mailward.yaml's `facts`, or none. The
 * module is loaded only when configured: a Haraka that relies on its own scanners' results
 * never opens sockets or loads Redis clients for us.
 */
export function createProviders(settings: HarakaSettings): FactProviders {
  if (!settings.facts) return {};
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createFactProviders } = require('@mailward/facts') as FactsModule;
  return createFactProviders(settings.facts as Parameters<FactsModule['createFactProviders']>[0]).providers;
}
