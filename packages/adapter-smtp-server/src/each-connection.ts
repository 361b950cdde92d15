import type { SMTPServer } from 'smtp-server';

/**
 * Runs `fn` on each of the server's connections as smtp-server creates it, before its greeting:
 * the one place the shims (reply watching, pipelining, HELO, session log) reach a connection's
 * internals. smtp-server adds every new connection to its `connections` set, and nothing else.
 */
export function eachConnection<C>(server: SMTPServer, fn: (connection: C) => void): void {
  const connections = (server as unknown as { connections: Set<C> }).connections;
  const add = connections.add.bind(connections);
  connections.add = (connection: C): Set<C> => {
    fn(connection);
    return add(connection);
  };
}
