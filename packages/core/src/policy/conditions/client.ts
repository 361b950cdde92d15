import { normalizeIp } from '../../match/cidr';
import type { RawClientCondition, RawPatternValue } from '../raw-policy';
import { allChecks, isSubKeyMap, type Check, type ConditionSpec } from './condition-kit';

const SUB_KEYS = ['ip', 'hostname', 'tls', 'authenticated', 'user'];

/** `client`: IP / CIDR / list patterns, or `{ ip, hostname, tls, authenticated, user }`. */
export const client: ConditionSpec = {
  since: 'connect',
  compile(value, scope, path, name) {
    const spec: RawClientCondition = isSubKeyMap(value, SUB_KEYS) ? (value as RawClientCondition) : { ip: value as RawPatternValue };
    const checks: Check[] = [];
    const sub = (key: string): string => (spec === value ? `${name}.${key}` : name);
    const at = (key: string): (string | number)[] => (spec === value ? [...path, key] : [...path]);
    if (spec.ip !== undefined) {
      const m = scope.matcher(spec.ip, 'ip', at('ip'));
      checks.push({ condition: sub('ip'), pattern: m.source, read: (ctx) => normalizeIp(ctx.input.client.ip), test: (v) => m.test(v as string) });
    }
    if (spec.hostname !== undefined) {
      const m = scope.matcher(spec.hostname, 'domain', at('hostname'));
      checks.push({ condition: sub('hostname'), pattern: m.source, read: (ctx) => ctx.input.client.hostname ?? '', test: (v) => m.test(v as string) });
    }
    if (spec.user !== undefined) {
      const m = scope.matcher(spec.user, 'name', at('user'));
      checks.push({ condition: sub('user'), pattern: m.source, read: (ctx) => ctx.input.client.user ?? '', test: (v) => m.test(v as string) });
    }
    for (const key of ['tls', 'authenticated'] as const) {
      const want = spec[key];
      if (want === undefined) continue;
      checks.push({ condition: `${name}.${key}`, pattern: String(want), read: (ctx) => ctx.input.client[key], test: (v) => v === want });
    }
    return allChecks(name, checks);
  },
};
