import type { CompiledPolicy } from '@mailward/core';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { eachConnection } from './each-connection';

interface Connection {
  session: SMTPServerSession;
  remoteAddress: string;
  send(code: number, data: string | string[], context?: unknown): void;
  _onCommand(command: Buffer, callback?: () => void): void;
}

const STAGES: Readonly<Record<string, string>> = { MAIL: 'mail', RCPT: 'rcpt', DATA: 'data' };

/** The address of `MAIL FROM:<a>` or `RCPT TO:<a>`, as the line gives it. */
const addressIn = (line: string): string | undefined => /^\w+ (?:FROM|TO):\s*<([^>]*)>/i.exec(line)?.[1];

/**
 * The `refused` lines of the refusals smtp-server writes itself for the policy's `smtp:`
 * controls, before any hook runs: MAIL, RCPT or DATA before HELO/EHLO (`requireHelo`, 503) and
 * MAIL with a SIZE= over the advertised limit (552). The hooks log the ones they make (see
 * policy-hooks), so that each refusal by a control has one line naming it, as rules' refusals have.
 */
export function logControlRefusals(server: SMTPServer, policy: () => CompiledPolicy, log: (event: Record<string, unknown>) => void): void {
  eachConnection<Connection>(server, (connection) => {
    let line = '';
    const onCommand = connection._onCommand.bind(connection);
    connection._onCommand = (command, callback): void => {
      line = String(command).trim();
      onCommand(command, callback);
    };
    const send = connection.send.bind(connection);
    connection.send = (code, data, context): void => {
      const name = line.split(' ', 1)[0]!.toUpperCase();
      // The reply as the client gets it: protocol-replies has given it its status code.
      const [, status, text = ''] = /^(?:([245]\.\d{1,3}\.\d{1,3}) )?(.*)$/s.exec(typeof data === 'string' ? data : '') ?? [];
      const refused = (by: string, logged: Record<string, unknown>): void =>
        log({ event: 'refused', session: connection.session.id, stage: STAGES[name], client: connection.remoteAddress, by, ...logged, reply: { code, status, text } });
      if (code === 503 && STAGES[name] && /^Error: send (HELO\/EHLO|LHLO) first/.test(text)) {
        refused('smtp.requireHelo', { command: name, ...(name === 'MAIL' ? { sender: addressIn(line) } : name === 'RCPT' ? { recipient: addressIn(line) } : {}) });
      } else if (code === 552 && name === 'MAIL' && /fixed maximum message size/.test(text)) {
        // Without the policy's maxSize the limit is the host's own `size` option.
        refused(policy().smtp.maxSize ? 'smtp.maxSize' : 'size', { sender: addressIn(line), size: Number(/SIZE=(\d+)/i.exec(line)?.[1]) });
      }
      send(code, data, context);
    };
  });
}
