import type { CompiledPolicy, Direction, StageInput } from '@mailward/core';

/**
 * The direction the policy's rules see, for the log lines: the listener's, else outbound for a
 * logged-in client or one of `outbound.clients`. The same as core's evaluate decides it, which
 * does not give it out.
 */
export function directionOf(policy: CompiledPolicy, input: StageInput): Direction {
  if (input.direction !== undefined) return input.direction;
  const ip = input.client.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return input.client.authenticated || policy.outbound.clients.some((m) => m.test(ip)) ? 'outbound' : 'inbound';
}
