import type { RawDnsblCondition, RawPatterns } from '../raw-policy';
import { leaf, type ConditionSpec } from './condition-kit';
import { listedIn, listingZones } from './zone-listing';

/**
 * `dnsbl: zone | [zones] | { zone, result }`: the client is listed in some zone (with an answer
 * matching `result` when given). A zone that lists the client decides even when another failed;
 * otherwise a failed zone is a fact error (never "not listed").
 */
export const dnsbl: ConditionSpec = {
  since: 'connect',
  compile(value, scope, path, name) {
    const z = listingZones(value as RawPatterns | RawDnsblCondition, scope, path);
    return {
      path: name,
      needs: z.zones.map((zone) => ({ kind: 'dnsbl' as const, zone })),
      test(ctx) {
        const listed = listedIn(ctx.facts.dnsbl, z, 'dnsbl');
        return leaf(name, listed.answers, z.pattern, listed.zone !== undefined);
      },
    };
  },
};
