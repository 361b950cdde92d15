import type { Effect } from '@mailward/core';

/** Where an effect is applied: in the message bytes (core rewrite) or on Haraka's envelope. */
export type EffectTarget = 'message' | 'envelope';

/**
 * Sorts an effect to the code that applies it. A switch over every type with a `never` check:
 * a new Effect type fails to compile here until the adapter handles it.
 */
export function effectTarget(effect: Effect): EffectTarget {
  switch (effect.type) {
    case 'removeHeaders':
    case 'keepHeaders':
    case 'addHeader':
    case 'rewriteHeader':
    case 'masquerade':
    case 'subjectPrefix':
    case 'stripPart':
    case 'dropPart':
    case 'stripHtml':
      return 'message';
    case 'rewriteSender':
    case 'rewriteRecipient':
    case 'bcc':
    case 'route':
    case 'log':
      return 'envelope';
    default: {
      const unhandled: never = effect;
      throw new Error(`effect ${(unhandled as Effect).type} is not handled by haraka-plugin-mailward`);
    }
  }
}
