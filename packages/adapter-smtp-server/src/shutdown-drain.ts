import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { eachConnection } from './each-connection';

interface Connection {
  session: SMTPServerSession;
  _onCommand(command: Buffer, callback?: () => void): void;
}

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
  eachConnection<Connection>(server, (connection) => {
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
