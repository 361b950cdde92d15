import type { RawHeaderCondition } from '../raw-policy';
import { leaf, type ConditionSpec } from './condition-kit';

/**
 * `header: { name, value }`: some top-level field whose name matches and, when `value` is given,
 * whose value matches, decoded or raw (so encoded words cannot hide it). Without `value` it tests
 * presence. Values are case-insensitive like every other pattern (a blocklist must not be evaded
 * by "VIAGRA"); `re:/.../` without the `i` flag is case-sensitive.
 */
export const header: ConditionSpec = {
  since: 'data',
  compile(value, scope, path, name) {
    const spec = value as RawHeaderCondition;
    scope.fieldNames(spec.name, [...path, 'name']);
    const names = scope.matcher(spec.name, 'name', [...path, 'name']);
    const values = spec.value !== undefined ? scope.matcher(spec.value, 'name', [...path, 'value']) : undefined;
    const pattern = values ? `${names.source}: ${values.source}` : names.source;
    return {
      path: name,
      needs: [],
      test(ctx) {
        const fields = (ctx.input.message?.headers ?? []).filter((h) => names.test(h.name));
        const hit = values ? fields.find((h) => values.test(h.decoded) || values.test(h.value)) : fields[0];
        const shown = hit ? `${hit.name}: ${hit.decoded}` : fields.map((h) => `${h.name}: ${h.decoded}`);
        return leaf(name, shown, pattern, hit !== undefined);
      },
    };
  },
};
