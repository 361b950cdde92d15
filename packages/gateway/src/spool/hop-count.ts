import type { MessageModel } from '@mailward/core';

/**
 * Most Received fields a message may already carry (Postfix's hopcount_limit). More is a mail
 * loop (RFC 5321 6.3): a hub or route that leads back to this gateway would otherwise queue the
 * message again at every pass, for ever.
 */
export const HOP_LIMIT = 50;

/** The refusal of a looping message at the end of DATA: 554 5.4.6, as Postfix answers. */
export class TooManyHops extends Error {
  readonly responseCode = 554;
  constructor(readonly hops: number) {
    super(`5.4.6 Too many hops (${hops} Received fields, at most ${HOP_LIMIT}): a mail loop`);
  }
}

/** The top-level Received fields of a message (a name written `Received :` counts too). */
export function hopCount(model: MessageModel): number {
  return model.headers.filter((h) => h.name.trim().toLowerCase() === 'received').length;
}
