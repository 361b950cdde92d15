import type { FactProviders } from '@mailward/core';
import { createFactProviders } from '@mailward/facts';
import type { HarakaSettings } from './settings';

/** Our own fact providers (clamd, spamd, DNS...) from mailward.yaml's `facts`, or none. */
export function createProviders(settings: HarakaSettings): FactProviders {
  if (!settings.facts) return {};
  return createFactProviders(settings.facts as Parameters<typeof createFactProviders>[0]);
}
