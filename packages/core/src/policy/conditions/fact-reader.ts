import { FactUnavailable } from '../../engine/fact-unavailable';
import { isFactError, type FactResult } from '../../facts/facts';

/** The fact's value, or FactUnavailable naming it when it is absent or an error (never "clean"). */
export function requireFact<T>(fact: string, value: FactResult<T> | undefined): T {
  if (value === undefined) throw new FactUnavailable(fact, 'no answer was gathered');
  if (isFactError(value)) throw new FactUnavailable(fact, value.error);
  return value;
}

/** Whether a name resolves, from `facts.resolves`. */
export function resolvesFact(facts: { resolves?: Record<string, FactResult<boolean>> }, name: string): boolean {
  const key = name.toLowerCase();
  return requireFact(`resolves ${key}`, facts.resolves?.[key] ?? facts.resolves?.[name]);
}

/** Whether the hub accepts a recipient, from `facts.recipientExists`. */
export function existsFact(facts: { recipientExists?: Record<string, FactResult<boolean>> }, address: string): boolean {
  const key = address.toLowerCase();
  return requireFact(`recipient verification ${key}`, facts.recipientExists?.[key]);
}
