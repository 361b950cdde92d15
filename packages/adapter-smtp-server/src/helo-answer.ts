import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { eachConnection } from './each-connection';

type Handler = (command: Buffer, callback: () => void) => void;

interface Connection {
  session: SMTPServerSession;
  send(code: number, text: string): void;
  handler_EHLO: Handler;
  handler_HELO: Handler;
}

/** Answers a HELO/EHLO name: with nothing to greet it, or with the refusal to send instead. */
export type HeloHook = (name: string, session: SMTPServerSession, done: (refusal?: Error | null) => void) => void;

// smtp-server's own checks of the name (its 501 replies): such a command never reaches the hook.
const MAX_NAME = 300;
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * smtp-server greets any HELO/EHLO name and has no hook for it. This runs `onHelo` first, so the
 * policy's `helo` stage answers the command itself: a refused name gets the refusal as the reply
 * to HELO/EHLO (not to the MAIL FROM after it), and the client is not greeted.
 */
export function answerHelo(server: SMTPServer, onHelo: HeloHook): void {
  eachConnection<Connection>(server, (connection) => {
    for (const key of ['handler_EHLO', 'handler_HELO'] as const) {
      const greet = connection[key].bind(connection);
      connection[key] = (command, callback): void => {
        const parts = command.toString().trim().split(/\s+/);
        const name = parts[1] ?? '';
        if (parts.length !== 2 || name.length > MAX_NAME || CONTROL.test(name)) return greet(command, callback);
        onHelo(name.toLowerCase(), connection.session, (refusal) => {
          if (!refusal) return greet(command, callback);
          connection.send((refusal as { responseCode?: number }).responseCode ?? 451, refusal.message);
          callback();
        });
      };
    }
  });
}
