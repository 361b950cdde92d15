import { compileAddressCondition } from './address-condition';
import type { ConditionSpec } from './condition-kit';

/** `sender`: the envelope sender (MAIL FROM); `<>` is the null sender. */
export const sender: ConditionSpec = {
  since: 'mail',
  compile: (value, scope, path, name) => compileAddressCondition(value, scope, path, name, 'sender', (ctx) => [ctx.input.sender ?? '']),
};
