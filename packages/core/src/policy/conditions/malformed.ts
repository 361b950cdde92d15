import type { MalformedKind } from '../../message/model';
import { leaf, type ConditionSpec } from './condition-kit';

/** `malformed: true` (any kind), `false` (none), or a kind or list of kinds. */
export const malformed: ConditionSpec = {
  since: 'data',
  compile(value, _scope, _path, name) {
    const kinds: readonly MalformedKind[] | 'any' | 'none' =
      value === true ? 'any' : value === false ? 'none' : typeof value === 'string' ? [value as MalformedKind] : (value as MalformedKind[]);
    const pattern = typeof kinds === 'string' ? String(value) : kinds.join(', ');
    return {
      path: name,
      needs: [],
      test(ctx) {
        const found = ctx.input.message?.malformed ?? [];
        const shown = found.map((m) => `${m.kind}${m.path ? ` at ${m.path}` : ''}: ${m.detail}`);
        if (kinds === 'none') return leaf(name, shown, pattern, found.length === 0);
        const hits = kinds === 'any' ? found : found.filter((m) => kinds.includes(m.kind));
        return leaf(name, shown, pattern, hits.length > 0);
      },
    };
  },
};
