import { FactUnavailable } from '../../engine/fact-unavailable';
import { isFactError } from '../../facts/facts';
import type { RawDnsblCondition, RawPatterns } from '../raw-policy';
import { leaf, type ConditionSpec } from './condition-kit';

/**
 * `dnsbl: zone | [zones] | { zone, result }`: the client is listed in some zone (with an answer
 * matching `result` when given). A zone that lists the client decides even when another failed;
 * otherwise a failed zone is a fact error (never "not listed").
 */
export const dnsbl: ConditionSpec = {
  since: 'connect',
  compile(value, scope, path, name) {
    const spec: RawDnsblCondition =
      typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawDnsblCondition) : { zone: value as RawPatterns };
    const zonePath = spec === value ? [...path, 'zone'] : path;
    const zones = scope.expand(spec.zone, zonePath).map((z) => z.text.toLowerCase());
    const result = spec.result !== undefined ? scope.matcher(spec.result, 'ip', [...path, 'result']) : undefined;
    const pattern = result ? `${zones.join(', ')} = ${result.source}` : zones.join(', ');
    return {
      path: name,
      needs: zones.map((zone) => ({ kind: 'dnsbl' as const, zone })),
      test(ctx) {
        const failed: string[] = [];
        const answers: Record<string, string[]> = {};
        for (const zone of zones) {
          const answer = ctx.facts.dnsbl?.[zone];
          if (answer === undefined || isFactError(answer)) {
            failed.push(`${zone} (${answer === undefined ? 'no answer was gathered' : answer.error})`);
            continue;
          }
          answers[zone] = answer;
          const hits = result ? answer.filter((a) => result.test(a)) : answer;
          if (hits.length > 0) return leaf(name, { [zone]: answer }, pattern, true);
        }
        if (failed.length > 0) throw new FactUnavailable(`dnsbl ${failed.map((f) => f.split(' ')[0]).join(', ')}`, failed.join('; '));
        return leaf(name, answers, pattern, false);
      },
    };
  },
};
