import type { CompiledPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { eachConnection } from './each-connection';

interface Connection {
  hostNameAppearsAs: string | false;
  _onCommand(command: Buffer, callback?: () => void): void;
}

/** The commands smtp-server refuses with 503 before HELO/EHLO that a policy may let through (not AUTH). */
const TRANSACTION = new Set(['MAIL', 'RCPT', 'DATA']);

/**
 * smtp-server answers MAIL, RCPT and DATA before HELO/EHLO with 503 itself and has no option to
 * stop it; with the policy's `requireHelo: false` they are let through. The connection looks
 * greeted only while the command is dispatched (synchronously), so the session still has no
 * HELO name and the policy's `helo` stage does not run.
 */
export function applyHeloRequirement(server: SMTPServer, policy: () => CompiledPolicy): void {
  eachConnection<Connection>(server, (connection) => {
    const onCommand = connection._onCommand.bind(connection);
    connection._onCommand = (command, callback): void => {
      const name = String(command).split(' ', 1)[0]!.trim().toUpperCase();
      if (connection.hostNameAppearsAs || policy().smtp.requireHelo !== false || !TRANSACTION.has(name)) return onCommand(command, callback);
      connection.hostNameAppearsAs = ' ';
      try {
        onCommand(command, callback);
      } finally {
        if (connection.hostNameAppearsAs === ' ') connection.hostNameAppearsAs = false;
      }
    };
  });
}
