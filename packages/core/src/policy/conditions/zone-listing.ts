import { FactUnavailable } from '../../engine/fact-unavailable';
import { isFactError, type FactResult } from '../../facts/facts';
import type { Matcher } from '../../match/matcher';
import type { CompileScope, PolicyPath } from '../compile-scope';
import type { RawDnsblCondition, RawPatterns } from '../raw-policy';

/** The zones of `dnsbl` or `sender: { rhsbl }`, and the answer one must give. */
export interface ListingZones {
  zones: string[];
  result?: Matcher;
  /** As the trace shows it: `zen.example` or `zen.example = 127.0.0.2`. */
  pattern: string;
}

/** `zone | [zones] | { zone, result }`. */
export function listingZones(value: RawPatterns | RawDnsblCondition, scope: CompileScope, path: PolicyPath): ListingZones {
  const isMap = typeof value === 'object' && value !== null && !Array.isArray(value);
  const spec: RawDnsblCondition = isMap ? (value as RawDnsblCondition) : { zone: value as RawPatterns };
  const zones = scope.expand(spec.zone, isMap ? [...path, 'zone'] : path).map((z) => z.text.toLowerCase());
  const result = spec.result !== undefined ? scope.matcher(spec.result, 'ip', [...path, 'result']) : undefined;
  return { zones, ...(result ? { result } : {}), pattern: result ? `${zones.join(', ')} = ${result.source}` : zones.join(', ') };
}

/**
 * The zones' answers, and the first zone that lists (with an answer matching `result` when
 * given). A zone that lists decides even when another failed; otherwise a failed zone is a fact
 * error (never "not listed"), named `fact` and the zones.
 */
export function listedIn(
  answers: Record<string, FactResult<string[]>> | undefined,
  z: ListingZones,
  fact: string,
): { zone?: string; answers: Record<string, string[]> } {
  const failed: string[] = [];
  const seen: Record<string, string[]> = {};
  for (const zone of z.zones) {
    const answer = answers?.[zone];
    if (answer === undefined || isFactError(answer)) {
      failed.push(`${zone} (${answer === undefined ? 'no answer was gathered' : answer.error})`);
      continue;
    }
    seen[zone] = answer;
    if ((z.result ? answer.filter((a) => z.result!.test(a)) : answer).length > 0) return { zone, answers: { [zone]: answer } };
  }
  if (failed.length > 0) throw new FactUnavailable(`${fact} ${failed.map((f) => f.split(' ')[0]).join(', ')}`, failed.join('; '));
  return { answers: seen };
}
