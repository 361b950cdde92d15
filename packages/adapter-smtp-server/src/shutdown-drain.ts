import type { Socket } from 'node:net';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { eachConnection } from './each-connection';

interface Connection {
  session: SMTPServerSession;
  _socket: Socket;
  _closing: boolean;
  _closed: boolean;
  send(code: number, data: string): void;
  _onCommand(command: Buffer, callback?: () => void): void;
}

/** Each server's connections whose socket is still open: smtp-server forgets one once it closes it. */
const open = new WeakMap<SMTPServer, Set<Connection>>();

/** The commands that go on with a transaction MAIL FROM opened. */
const IN_TRANSACTION = new Set(['RCPT', 'DATA', 'BDAT', 'RSET', 'NOOP']);

/** The command's verb, upper-cased. */
const verbOf = (line: Buffer): string => String(line).split(' ', 1)[0]!.trim().toUpperCase();

/**
 * Once the server is closing, smtp-server answers every command `421 Server shutting down`,
 * QUIT too: a client whose message was just queued got 421 for its QUIT, and its session was
 * counted as cut by the shutdown. Sessions in flight are let finish instead: QUIT is answered
 * 221 (RFC 5321 4.1.1.10), and a transaction that MAIL FROM opened before the close goes on to
 * its end (its RCPTs and DATA); anything that would start something new still gets the 421.
 * smtp-server's own grace time (`closeTimeout`) still ends the sessions that do not finish.
 */
export function finishInFlight(server: SMTPServer): void {
  const closing = server as unknown as { _closeTimeout: unknown };
  const sockets = new Set<Connection>();
  open.set(server, sockets);
  eachConnection<Connection>(server, (connection) => {
    sockets.add(connection);
    connection._socket.once('close', () => sockets.delete(connection));
    const onCommand = connection._onCommand.bind(connection);
    connection._onCommand = (line, callback): void => {
      const verb = verbOf(line);
      const goesOn = verb === 'QUIT' || (IN_TRANSACTION.has(verb) && Boolean(connection.session.envelope?.mailFrom));
      if (!closing._closeTimeout || !goesOn) return onCommand(line, callback);
      // smtp-server reads the closing mark once, at the start of the command: hidden for that
      // moment only, its timer is left as it was.
      const timer = closing._closeTimeout;
      closing._closeTimeout = false;
      try {
        onCommand(line, callback);
      } finally {
        closing._closeTimeout = timer;
      }
    };
  });
}

/** Answer a connection 421 (unless it was already) and close its socket once that is written. */
function cut(connection: Connection): Promise<void> {
  const socket = connection._socket;
  if (socket.closed) return Promise.resolve();
  const gone = new Promise<void>((r) => socket.once('close', () => r()));
  // smtp-server's own close time may have come first: then the 421 is sent already.
  if (!connection._closing && !connection._closed) connection.send(421, 'Server shutting down');
  if (socket.writableFinished || !socket.writable) socket.destroy();
  else {
    socket.once('finish', () => socket.destroy()); // once the 421 is written
    setTimeout(() => socket.destroy(), 1000).unref(); // or a client that reads nothing
  }
  return gone;
}

/**
 * Close a server made by createPolicyServer: stop accepting, let the sessions in flight finish
 * (see finishInFlight) for `graceMs`, then answer those still open 421 and close them. Closed,
 * not half-closed: smtp-server's close() waits up to 5 s more for the client to close its side,
 * and a client that never does held the process that long after the gateway said `stopped`.
 * Resolves once every session's `close` line is logged (smtp-server's onClose comes a turn
 * after its socket's close, and that can come after the listener's).
 */
export function closeServer(server: SMTPServer, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      void Promise.all([...(open.get(server) ?? [])].map(cut)).then(() => setImmediate(resolve));
    };
    const timer = setTimeout(end, graceMs);
    // Also called at smtp-server's own closeTimeout, with the sockets it closed half-closed.
    server.close(end);
  });
}
