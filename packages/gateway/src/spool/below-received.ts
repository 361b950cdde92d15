import type { Effect } from '@mailward/core';

/**
 * The effects with `added` before the gateway's own Received line: each added header goes on
 * top, and the trace line must stay there (RFC 5321 4.4), with `added` under it.
 */
export function belowReceived(effects: Effect[], added: Effect): Effect[] {
  const at = effects.findIndex((e) => e.type === 'addHeader' && e.rule === 'received');
  return at < 0 ? [...effects, added] : [...effects.slice(0, at), added, ...effects.slice(at)];
}
