import type { Reply } from '@mailward/core';
import type { SMTPServerSession } from 'smtp-server';
import { stateOf } from './connection-state';

/**
 * smtp-server answers every accepted MAIL and RCPT "250 Accepted" itself, whatever its hook
 * says; this is the decision's reply to write instead (250 2.1.0 OK, or the policy's own text).
 * The hook has just recorded that decision: the transaction's mail decision, or the reply of
 * the recipient just accepted. Undefined for any other reply.
 */
export function acceptedReply(session: SMTPServerSession, context: unknown): Reply | undefined {
  if (context === 'MAIL_FROM_OK') return stateOf(session).mail?.reply;
  if (context === 'RCPT_TO_OK') return stateOf(session).rcptReply;
  return undefined;
}
