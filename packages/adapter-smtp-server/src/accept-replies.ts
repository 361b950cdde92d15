import type { Reply } from '@mailward/core';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { stateOf } from './connection-state';
import { eachConnection } from './each-connection';

interface Connection {
  session: SMTPServerSession;
  send(code: number, data: string | string[], context?: unknown): void;
}

/**
 * smtp-server answers every accepted MAIL and RCPT "250 Accepted" itself, whatever its hook
 * says; this writes the decision's reply instead (250 2.1.0 OK, or the policy's own text). The
 * hook has just recorded that decision: the transaction's mail decision, or the last recipient's.
 */
export function answerAccepted(server: SMTPServer): void {
  eachConnection<Connection>(server, (connection) => {
    const send = connection.send.bind(connection);
    connection.send = (code, data, context): void => {
      let reply: Reply | undefined;
      if (context === 'MAIL_FROM_OK') reply = stateOf(connection.session).mail?.reply;
      if (context === 'RCPT_TO_OK') reply = stateOf(connection.session).recipients.at(-1)?.decision.reply;
      if (reply) return send(reply.code, `${reply.status} ${reply.text}`, context);
      send(code, data, context);
    };
  });
}
