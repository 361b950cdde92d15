import { isFactError, type Facts } from './facts';

/**
 * Each fact that could not be had, by what it is about ("virus", "dnsbl zen.example",
 * "greylist bob@acme.example"), with why: what a log line needs to say why a rule's onError
 * answered (451 by default) instead of the rule itself.
 */
export function factErrors(facts: Facts): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [kind, value] of Object.entries(facts) as [string, unknown][]) {
    if (isFactError(value)) found[kind] = value.error;
    else if (kind !== 'spam' && kind !== 'virus' && typeof value === 'object' && value !== null) {
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        if (isFactError(entry)) found[`${kind} ${key}`] = entry.error;
      }
    }
  }
  return found;
}
