import { describeBounds, withinBounds } from '../../match/bounds';
import type { RawSpamCondition } from '../raw-policy';
import { compileBounds } from './bounds-condition';
import { allChecks, type Check, type ConditionSpec } from './condition-kit';
import { requireFact } from './fact-reader';

/** `spam: { score: { gte: 5 }, symbols: pattern }` over spamd's answer. */
export const spam: ConditionSpec = {
  since: 'data',
  compile(value, scope, path, name) {
    const spec = value as RawSpamCondition;
    const checks: Check[] = [];
    const needs = [{ kind: 'spam' as const }];
    if (spec.score !== undefined) {
      const b = compileBounds(spec.score, scope, [...path, 'score'], false);
      checks.push({ condition: `${name}.score`, pattern: describeBounds(b), needs, read: (ctx) => requireFact('spam', ctx.facts.spam).score, test: (v) => withinBounds(v as number, b) });
    }
    if (spec.symbols !== undefined) {
      const m = scope.matcher(spec.symbols, 'name', [...path, 'symbols']);
      checks.push({
        condition: `${name}.symbols`,
        pattern: m.source,
        needs,
        read: (ctx) => requireFact('spam', ctx.facts.spam).symbols ?? [],
        test: (v) => (v as string[]).some((s) => m.test(s)),
      });
    }
    const compiled = allChecks(name, checks);
    return { ...compiled, needs };
  },
};
