import type { SMTPServer } from 'smtp-server';
import { eachConnection } from './each-connection';

interface Connection {
  secure: boolean;
  _onCommand(command: Buffer, callback?: () => void): void;
  send(code: number, data: string): void;
}

/**
 * AUTH outside TLS is refused at the command, before any credential is asked for. smtp-server
 * checks only where it offers STARTTLS: on a listener without a certificate (or with STARTTLS
 * hidden) it sends `334 Password:` in clear, and the password has crossed the wire by the time
 * the login check could refuse it.
 */
export function refuseAuthInClear(server: SMTPServer, log: (event: Record<string, unknown>) => void): void {
  eachConnection<Connection & { id: string; remoteAddress: string }>(server, (connection) => {
    const onCommand = connection._onCommand.bind(connection);
    connection._onCommand = (command, callback): void => {
      if (connection.secure || !/^AUTH(\s|$)/i.test(String(command))) return onCommand(command, callback);
      log({ event: 'auth', session: connection.id, client: connection.remoteAddress, outcome: 'cleartext-refused' });
      connection.send(538, '5.7.0 Must issue a STARTTLS command first');
      callback?.();
    };
  });
}
