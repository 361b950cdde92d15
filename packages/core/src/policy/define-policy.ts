import type { RawPolicy } from './raw-policy';

/** Writes a policy in TypeScript with the compiler checking its shape; returns it unchanged. */
export function definePolicy<const P extends RawPolicy>(policy: P): P {
  return policy;
}
