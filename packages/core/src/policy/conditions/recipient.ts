import { compileAddressCondition } from './address-condition';
import type { ConditionSpec } from './condition-kit';

/** `recipient`: the recipient being decided at rcpt; at data, true when any accepted recipient matches. */
export const recipient: ConditionSpec = {
  since: 'rcpt',
  compile: (value, scope, path, name) =>
    compileAddressCondition(value, scope, path, name, 'recipient', (ctx) =>
      ctx.stage === 'rcpt' ? (ctx.input.recipient !== undefined ? [ctx.input.recipient] : []) : ctx.input.recipients,
    ),
};
