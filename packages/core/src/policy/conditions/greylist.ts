import { leaf, type ConditionSpec } from './condition-kit';
import { requireFact } from './fact-reader';

/** `greylist: pending`: the (client, sender, recipient) triplet has not waited out its delay yet. */
export const greylist: ConditionSpec = {
  since: 'rcpt',
  only: 'rcpt',
  compile(value, _scope, _path, name) {
    const want = value as string;
    return {
      path: name,
      needs: [{ kind: 'greylist' }],
      test(ctx) {
        const rcpt = ctx.input.recipient ?? '';
        const table = ctx.facts.greylist;
        const state = requireFact(`greylist ${rcpt}`, table?.[rcpt] ?? table?.[rcpt.toLowerCase()]);
        return leaf(name, state, want, state === want);
      },
    };
  },
};
