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
      log({ event: 'auth', session: connection.id, client: connection.remoteAddress, ...attempted(String(command)), outcome: 'cleartext-refused' });
      connection.send(538, '5.7.0 Must issue a STARTTLS command first');
      callback?.();
    };
  });
}

/**
 * The method of an AUTH command, and the user of its initial response where one was sent
 * (PLAIN's authentication identity, LOGIN's user name), as a login's log line has them; never
 * the password.
 */
export function attempted(command: string): { method?: string; user?: string } {
  const [, method, initial] = command.trim().split(/\s+/);
  if (!method) return {};
  const out: { method: string; user?: string } = { method: method.toUpperCase() };
  if (!initial || initial === '=') return out;
  const decoded = Buffer.from(initial, 'base64').toString('utf8');
  const user = out.method === 'PLAIN' ? decoded.split('\0')[1] : out.method === 'LOGIN' ? decoded : undefined;
  if (user) out.user = user;
  return out;
}
