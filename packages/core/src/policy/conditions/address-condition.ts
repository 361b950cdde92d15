import type { ConditionTrace } from '../../engine/decision';
import { FactUnavailable } from '../../engine/fact-unavailable';
import { domainOf } from '../../match/address';
import { isFqdn } from '../../match/domain';
import type { Matcher } from '../../match/matcher';
import type { CompileScope, PolicyPath } from '../compile-scope';
import type { CompiledCondition, EvalContext } from '../compiled-policy';
import type { RawAddressCondition, RawPatternValue } from '../raw-policy';
import { isSubKeyMap } from './condition-kit';
import { existsFact, resolvesFact } from './fact-reader';
import { listedIn, listingZones } from './zone-listing';

const SUB_KEYS = ['address', 'domain', 'fqdn', 'resolves', 'exists', 'rhsbl'];

interface AddressCheck {
  key: string;
  pattern: string;
  /** The part of the address the check reads, as the trace shows it (the domain for `domain`). */
  shown(address: string): string;
  test(address: string, ctx: EvalContext): boolean;
}

/**
 * `sender` and `recipient`: an address pattern, or `{ address, domain, fqdn, resolves }`. Holds
 * when one of the addresses `addressesOf` gives satisfies every sub-check. The null sender has
 * no domain: `fqdn` and `resolves` checks never hold for it, so they cannot refuse bounces.
 */
export function compileAddressCondition(
  value: unknown,
  scope: CompileScope,
  path: PolicyPath,
  name: string,
  of: 'sender' | 'recipient',
  addressesOf: (ctx: EvalContext) => string[],
): CompiledCondition {
  const isMap = isSubKeyMap(value, SUB_KEYS);
  const spec: RawAddressCondition = isMap ? (value as RawAddressCondition) : { address: value as RawPatternValue };
  const checks: AddressCheck[] = [];
  const pattern = (key: 'address' | 'domain', m: Matcher, read: (a: string) => string): AddressCheck => ({
    key: isMap ? `${name}.${key}` : name,
    pattern: m.source,
    shown: read,
    test: (a) => m.test(read(a)),
  });
  if (spec.address !== undefined) checks.push(pattern('address', scope.matcher(spec.address, 'address', isMap ? [...path, 'address'] : path), (a) => a));
  if (spec.domain !== undefined) checks.push(pattern('domain', scope.matcher(spec.domain, 'domain', [...path, 'domain']), domainOf));
  if (spec.fqdn !== undefined) {
    const want = spec.fqdn;
    checks.push({ key: `${name}.fqdn`, pattern: String(want), shown: domainOf, test: (a) => domainOf(a) !== '' && isFqdn(domainOf(a)) === want });
  }
  const needs: CompiledCondition['needs'][number][] = spec.resolves !== undefined ? [{ kind: 'resolves' as const, of }] : [];
  if (spec.exists !== undefined) {
    if (of !== 'recipient') scope.error([...path, 'exists'], '`exists` is recipient verification: use it under `recipient`');
    const want = spec.exists;
    needs.push({ kind: 'recipientExists' });
    checks.push({ key: `${name}.exists`, pattern: String(want), shown: (a) => a, test: (a, ctx) => existsFact(ctx.facts, a) === want });
  }
  if (spec.resolves !== undefined) {
    const want = spec.resolves;
    checks.push({
      key: `${name}.resolves`,
      pattern: String(want),
      shown: domainOf,
      test: (a, ctx) => domainOf(a) !== '' && (isFqdn(domainOf(a)) ? resolvesFact(ctx.facts, domainOf(a)) : false) === want,
    });
  }
  if (spec.rhsbl !== undefined) {
    if (of !== 'sender') scope.error([...path, 'rhsbl'], "`rhsbl` asks about the sender's domain: use it under `sender`");
    const zones = listingZones(spec.rhsbl, scope, [...path, 'rhsbl']);
    needs.push(...zones.zones.map((zone) => ({ kind: 'rhsbl' as const, zone })));
    checks.push({ key: `${name}.rhsbl`, pattern: zones.pattern, shown: domainOf, test: (a, ctx) => domainOf(a) !== '' && listedIn(ctx.facts.rhsbl, zones, 'rhsbl').zone !== undefined });
  }
  return {
    path: name,
    needs,
    test(ctx) {
      const addresses = addressesOf(ctx);
      let lastTrace: ConditionTrace[] = [];
      let missing: FactUnavailable | undefined;
      for (const address of addresses) {
        const trace: ConditionTrace[] = [];
        let ok = true;
        try {
          for (const check of checks) {
            const result = check.test(address, ctx);
            trace.push({ condition: check.key, value: check.shown(address), pattern: check.pattern, result });
            if (!result) { ok = false; break; }
          }
        } catch (err) {
          // Another recipient may match without the fact this one lacks.
          if (!(err instanceof FactUnavailable)) throw err;
          missing ??= err;
          continue;
        }
        if (ok) return { result: true, trace, parts: [] };
        lastTrace = trace;
      }
      if (missing) throw missing;
      if (addresses.length === 0) lastTrace = [{ condition: name, value: [], pattern: checks.map((c) => c.pattern).join(' '), result: false }];
      return { result: false, trace: lastTrace, parts: [] };
    },
  };
}
