import { isFqdn } from '../../match/domain';
import type { RawHeloCondition, RawPatternValue } from '../raw-policy';
import { allChecks, isSubKeyMap, type Check, type ConditionSpec } from './condition-kit';
import { resolvesFact } from './fact-reader';

/** `helo`: a pattern on the HELO/EHLO name, or `{ name, fqdn, resolves }`. */
export const helo: ConditionSpec = {
  since: 'helo',
  compile(value, scope, path, name) {
    const isMap = isSubKeyMap(value, ['name', 'fqdn', 'resolves']);
    const spec: RawHeloCondition = isMap ? (value as RawHeloCondition) : { name: value as RawPatternValue };
    const checks: Check[] = [];
    const heloOf = (ctx: { input: { helo?: string } }): string => ctx.input.helo ?? '';
    if (spec.name !== undefined) {
      const m = scope.matcher(spec.name, 'domain', isMap ? [...path, 'name'] : path);
      checks.push({ condition: isMap ? `${name}.name` : name, pattern: m.source, read: heloOf, test: (v) => m.test(v as string) });
    }
    if (spec.fqdn !== undefined) {
      const want = spec.fqdn;
      checks.push({ condition: `${name}.fqdn`, pattern: String(want), read: heloOf, test: (v) => isFqdn(v as string) === want });
    }
    if (spec.resolves !== undefined) {
      const want = spec.resolves;
      checks.push({
        condition: `${name}.resolves`,
        pattern: String(want),
        needs: [{ kind: 'resolves', of: 'helo' }],
        read: heloOf,
        // An address literal or an empty name cannot be looked up, so it does not "resolve".
        test: (v, ctx) => (isFqdn(v as string) ? resolvesFact(ctx.facts, v as string) : false) === want,
      });
    }
    return allChecks(name, checks);
  },
};
