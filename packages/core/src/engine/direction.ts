import { normalizeIp } from '../match/cidr';
import type { CompiledPolicy } from '../policy/compiled-policy';
import type { StageInput } from './input';

/** Outbound when the host says so, the client authenticated, or its IP is in `outbound.clients`. */
export function isOutbound(policy: CompiledPolicy, input: StageInput): boolean {
  if (input.direction !== undefined) return input.direction === 'outbound';
  if (input.client.authenticated) return true;
  const ip = normalizeIp(input.client.ip);
  return policy.outbound.clients.some((m) => m.test(ip));
}
