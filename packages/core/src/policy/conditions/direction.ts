import { leaf, type ConditionSpec } from './condition-kit';

/** `direction: inbound | outbound`: outbound for `outbound.clients`, authenticated clients, or a host that says so. */
export const direction: ConditionSpec = {
  since: 'connect',
  compile(value, _scope, _path, name) {
    const want = value as 'inbound' | 'outbound';
    return {
      path: name,
      needs: [],
      test: (ctx) => {
        const actual = ctx.outbound ? 'outbound' : 'inbound';
        return leaf(name, actual, want, actual === want);
      },
    };
  },
};
