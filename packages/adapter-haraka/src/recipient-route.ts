import type { Decision } from '@mailward/core';
import type { HarakaNotes } from './haraka-types';
import { refusal, type DSN } from './reply';
import { sessionNotes } from './session-notes';

/**
 * Haraka delivers a transaction to one next hop (queue.next_hop, route-handover.ts), so a
 * recipient whose route (or lack of one) differs from that of the recipients already accepted
 * would go to their host. It gets 452 4.5.3 instead, the "too many recipients" answer a client
 * meets by sending it again in another transaction. The first accepted recipient sets the
 * route; notes are per transaction, so RSET and a new MAIL start afresh. Undefined: accept it.
 */
export function otherRouteRefusal(notes: HarakaNotes, decision: Decision, accepted: number): DSN | undefined {
  const mine = sessionNotes(notes);
  const route = routeOf(decision);
  // None accepted yet, even if a route was noted: a later plugin may have refused that recipient.
  if (accepted === 0 || mine.recipientRoute === undefined) {
    mine.recipientRoute = route;
    return undefined;
  }
  if (mine.recipientRoute === route) return undefined;
  return refusal(452, '4.5.3', 'different delivery route: send this recipient in another transaction');
}

/** The host the recipient goes to ('' for Haraka's default), as envelope-effects.ts applies route. */
function routeOf(decision: Decision): string {
  let host = '';
  for (const effect of decision.effects) {
    if (effect.type === 'route' && effect.via[0]) host = effect.via[0].toLowerCase();
  }
  return host;
}
