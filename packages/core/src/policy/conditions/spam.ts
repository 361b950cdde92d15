import { describeBounds, withinBounds } from '../../match/bounds';
import type { RawSpamCondition } from '../raw-policy';
import { compileBounds } from './bounds-condition';
import { allChecks, type Check, type ConditionSpec } from './condition-kit';
import { requireFact } from './fact-reader';
import type { FactResult, SpamFact } from '../../facts/facts';

/** spamd's answer, or undefined when it did not scan the message (too big): never a score of 0. */
function scannedFact(value: FactResult<SpamFact> | undefined): SpamFact | undefined {
  const fact = requireFact('spam', value);
  return fact.notScanned === undefined ? fact : undefined;
}

/** `spam: { score: { gte: 5 }, symbols: pattern }` over spamd's answer. */
export const spam: ConditionSpec = {
  since: 'data',
  compile(value, scope, path, name) {
    const spec = value as RawSpamCondition;
    const checks: Check[] = [];
    const needs = [{ kind: 'spam' as const }];
    if (spec.score !== undefined) {
      const b = compileBounds(spec.score, scope, [...path, 'score'], false);
      checks.push({
        condition: `${name}.score`,
        pattern: describeBounds(b),
        needs,
        read: (ctx) => scannedFact(ctx.facts.spam)?.score ?? 'not scanned',
        test: (v) => typeof v === 'number' && withinBounds(v, b),
      });
    }
    if (spec.symbols !== undefined) {
      const m = scope.matcher(spec.symbols, 'name', [...path, 'symbols']);
      checks.push({
        condition: `${name}.symbols`,
        pattern: m.source,
        needs,
        read: (ctx) => scannedFact(ctx.facts.spam)?.symbols ?? [],
        test: (v) => (v as string[]).some((s) => m.test(s)),
      });
    }
    const compiled = allChecks(name, checks);
    return { ...compiled, needs };
  },
};
