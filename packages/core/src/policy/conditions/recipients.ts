import { describeBounds, withinBounds } from '../../match/bounds';
import { compileBounds } from './bounds-condition';
import { leaf, type ConditionSpec } from './condition-kit';

/** `recipients: { gte: 50 }`: recipients accepted so far (rcpt) or in all (data). */
export const recipients: ConditionSpec = {
  since: 'rcpt',
  compile(value, scope, path, name) {
    const b = compileBounds(value, scope, path, false);
    const pattern = describeBounds(b);
    return { path: name, needs: [], test: (ctx) => leaf(name, ctx.input.recipients.length, pattern, withinBounds(ctx.input.recipients.length, b)) };
  },
};
