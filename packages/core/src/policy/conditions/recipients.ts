import { describeBounds, withinBounds } from '../../match/bounds';
import type { EvalContext } from '../compiled-policy';
import { compileBounds } from './bounds-condition';
import { leaf, type ConditionSpec } from './condition-kit';

/**
 * The count `recipients` compares: at rcpt the recipients accepted so far and the one being
 * decided, so `{ gt: 50 }` refuses the 51st as `smtp.maxRecipients: 50` does; at data all
 * accepted ones. Hosts pass only the accepted ones in `recipients`.
 */
function recipientCount(ctx: EvalContext): number {
  const deciding = ctx.stage === 'rcpt' && ctx.input.recipient !== undefined ? 1 : 0;
  return ctx.input.recipients.length + deciding;
}

/** `recipients: { gt: 50 }`: recipients so far with the one being decided (rcpt) or in all (data). */
export const recipients: ConditionSpec = {
  since: 'rcpt',
  compile(value, scope, path, name) {
    const b = compileBounds(value, scope, path, false);
    const pattern = describeBounds(b);
    return {
      path: name,
      needs: [],
      test: (ctx) => {
        const n = recipientCount(ctx);
        return leaf(name, n, pattern, withinBounds(n, b));
      },
    };
  },
};
