import { describeBounds, withinBounds } from '../../match/bounds';
import { compileBounds } from './bounds-condition';
import { leaf, type ConditionSpec } from './condition-kit';

/** `size: { gt: 5MB }`: the message size in bytes as received. */
export const size: ConditionSpec = {
  since: 'data',
  compile(value, scope, path, name) {
    const b = compileBounds(value, scope, path, true);
    const pattern = describeBounds(b);
    return {
      path: name,
      needs: [],
      test: (ctx) => {
        const n = ctx.input.message?.size ?? 0;
        return leaf(name, n, pattern, withinBounds(n, b));
      },
    };
  },
};
