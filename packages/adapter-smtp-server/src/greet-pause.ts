import type { SMTPServer } from 'smtp-server';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SMTPConnection } = require('smtp-server/lib/smtp-connection') as { SMTPConnection: new (...args: unknown[]) => Connection };

interface Connection {
  on(event: string, listener: (arg: unknown) => void): void;
  init(): void;
  send(code: number, text: string, command?: unknown): void;
  connectionReady(): void;
  _setListeners(ready: () => void): void;
}

interface ServerInternals {
  connect(socket: unknown, options: unknown): void;
  connections: Set<Connection>;
  options: { maxClients?: number };
  _onError(err: unknown): void;
  _onClientConnect(data: unknown): void;
}

/**
 * smtp-server waits a fixed 100 ms before its banner (a pregreet check: a client that talks
 * first is refused). This makes the wait a setting: `ms` 0 greets at once, which one message per
 * connection traffic needs; a longer wait catches more early talkers. 100 leaves it as it is.
 */
export function setGreetPause(server: SMTPServer, ms: number): void {
  if (ms === 100) return;
  const s = server as unknown as ServerInternals;
  s.connect = (socket: unknown, socketOptions: unknown): void => {
    const connection = new SMTPConnection(server, socket, socketOptions);
    s.connections.add(connection);
    connection.on('error', (err) => s._onError(err));
    connection.on('connect', (data) => s._onClientConnect(data));
    // The same steps as SMTPConnection.init(), with our wait.
    connection._setListeners(() => {
      if (s.options.maxClients && s.connections.size > s.options.maxClients) {
        connection.send(421, 'Too many connected clients, try again in a moment', false);
        return;
      }
      const timer = setTimeout(() => connection.connectionReady(), ms);
      timer.unref();
    });
  };
}
