import { FactUnavailable } from '../../engine/fact-unavailable';
import { isFactError, type Facts } from '../../facts/facts';
import type { Matcher } from '../../match/matcher';
import type { CompileScope, PolicyPath } from '../compile-scope';
import type { RawDnsblCondition, RawPatterns } from '../raw-policy';

/** The zones of `sender: { rhsbl }` and the answer one must give, as written for dnsbl. */
export interface RhsblZones {
  zones: string[];
  result?: Matcher;
  /** As the trace shows it: `dbl.example` or `dbl.example = 127.0.1.*`. */
  pattern: string;
}

/** `rhsbl: zone | [zones] | { zone, result }`, the shape `dnsbl` takes. */
export function rhsblZones(value: RawPatterns | RawDnsblCondition, scope: CompileScope, path: PolicyPath): RhsblZones {
  const spec: RawDnsblCondition = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawDnsblCondition) : { zone: value as RawPatterns };
  const zones = scope.expand(spec.zone, spec === value ? [...path, 'zone'] : path).map((z) => z.text.toLowerCase());
  const result = spec.result !== undefined ? scope.matcher(spec.result, 'ip', [...path, 'result']) : undefined;
  return { zones, ...(result ? { result } : {}), pattern: result ? `${zones.join(', ')} = ${result.source}` : zones.join(', ') };
}

/**
 * Whether the sender's domain is listed in some zone (with an answer matching `result` when
 * given). A zone that lists it decides even when another failed; otherwise a failed zone is a
 * fact error (never "not listed").
 */
export function rhsblListed(facts: Facts, z: RhsblZones): boolean {
  const failed: string[] = [];
  for (const zone of z.zones) {
    const answer = facts.rhsbl?.[zone];
    if (answer === undefined || isFactError(answer)) {
      failed.push(`${zone} (${answer === undefined ? 'no answer was gathered' : answer.error})`);
      continue;
    }
    if ((z.result ? answer.filter((a) => z.result!.test(a)) : answer).length > 0) return true;
  }
  if (failed.length > 0) throw new FactUnavailable(`rhsbl ${failed.map((f) => f.split(' ')[0]).join(', ')}`, failed.join('; '));
  return false;
}
