import type { SMTPServer } from 'smtp-server';
import { eachConnection } from './each-connection';

interface Parser {
  _dataMode: boolean;
  isClosed: boolean;
  _write(chunk: Buffer, encoding: BufferEncoding, next: (err?: Error) => void): void;
}

interface Connection {
  remoteAddress: string;
  /** false once the connection is closed */
  _parser: Parser | false;
  _createParser(): Parser;
  send(code: number, data: string | string[], context?: unknown): void;
  close(): void;
}

const LF = 0x0a;

function linesIn(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(LF); i >= 0; i = chunk.indexOf(LF, i + 1)) n++;
  return n;
}

/**
 * A server that hides PIPELINING refuses a client that pipelines anyway: a command that arrives
 * while a reply is still owed (or several in one packet) gets 554 5.5.0 and the connection is
 * closed, as Postfix's smtpd_forbid_unauth_pipelining does. Commands are counted as they arrive,
 * replies as they are written, so a client that waits for each reply is never refused.
 */
export function forbidHiddenPipelining(server: SMTPServer, log: (event: Record<string, unknown>) => void): void {
  // As the EHLO reply said: hidden by the policy the server was made with, or by the host.
  const hidden = (): boolean => Boolean(server.options.hidePIPELINING);
  eachConnection<Connection>(server, (connection) => {
    let owed = 0;
    let pipelined = false;
    let refused = false;
    const watch = (parser: Parser): Parser => {
      const write = parser._write.bind(parser);
      parser._write = (chunk, encoding, next): void => {
        // Message content is not commands; STARTTLS makes a new parser, watched the same way.
        if (!parser._dataMode && hidden()) {
          const lines = linesIn(chunk);
          if (lines > 1 || (lines === 1 && owed > 0)) pipelined = true;
          owed += lines;
        }
        write(chunk, encoding, next);
      };
      return parser;
    };
    if (connection._parser) watch(connection._parser);
    const create = connection._createParser.bind(connection);
    connection._createParser = (): Parser => watch(create());
    const send = connection.send.bind(connection);
    connection.send = (code, data, context): void => {
      owed = Math.max(0, owed - 1);
      if (!pipelined) return send(code, data, context);
      // Refused once: what hooks still answer (a DATA that was under way) goes nowhere.
      if (refused) return;
      refused = true;
      log({ event: 'pipelining-refused', client: connection.remoteAddress });
      send(554, '5.5.0 PIPELINING is not offered here: wait for each reply', false);
      // The commands already read are not run: a pipelined DATA must not queue a message.
      if (connection._parser) connection._parser.isClosed = true;
      connection.close();
    };
  });
}
