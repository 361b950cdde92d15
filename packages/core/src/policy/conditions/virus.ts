import type { RawPatternValue } from '../raw-policy';
import { leaf, type ConditionSpec } from './condition-kit';
import { requireFact } from './fact-reader';

/** `virus: true` (something found), `false` (scanned clean), or a pattern on the virus names. */
export const virus: ConditionSpec = {
  since: 'data',
  compile(value, scope, path, name) {
    const m = typeof value === 'boolean' ? undefined : scope.matcher(value as RawPatternValue, 'name', path);
    const pattern = m ? m.source : String(value);
    return {
      path: name,
      needs: [{ kind: 'virus', perPart: false }],
      test(ctx) {
        const names = requireFact('virus', ctx.facts.virus).names;
        const result = m ? names.some((n) => m.test(n)) : (names.length > 0) === value;
        return leaf(name, names, pattern, result);
      },
    };
  },
};
