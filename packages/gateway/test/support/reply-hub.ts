/**
 * A hub that answers RCPT with replies written out line by line, as real hubs send them (a 550
 * of several continuation lines, a line longer than RFC 5321 allows), which smtp-server cannot
 * (it sends one line, control characters made spaces). Enough SMTP for nodemailer's client.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';

export interface ReplyHub {
  port: number;
  /** The reply to RCPT TO for an address, its lines without CRLF; others get 250. */
  replies: Map<string, string[]>;
  close(): Promise<void>;
}

/** Start one on a loopback port; it offers 8BITMIME and SMTPUTF8. */
export async function startReplyHub(): Promise<ReplyHub> {
  const replies = new Map<string, string[]>();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = '';
    let inData = false;
    const answer = (line: string): void => {
      const command = line.slice(0, 4).toUpperCase();
      if (command === 'EHLO') socket.write('250-reply-hub.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n');
      else if (command === 'RCPT') {
        const address = /<([^>]*)>/.exec(line)?.[1] ?? '';
        const reply = replies.get(address);
        socket.write(reply ? `${reply.join('\r\n')}\r\n` : '250 2.1.5 ok\r\n');
      } else if (command === 'DATA') {
        inData = true;
        socket.write('354 go ahead\r\n');
      } else if (command === 'QUIT') socket.end('221 bye\r\n');
      else socket.write('250 ok\r\n'); // HELO, MAIL, RSET, NOOP
    };
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffered.indexOf('\r\n.\r\n');
          if (end < 0 && !buffered.startsWith('.\r\n')) return;
          buffered = buffered.slice(end < 0 ? 3 : end + 5);
          inData = false;
          socket.write('250 2.0.0 taken\r\n');
          continue;
        }
        const eol = buffered.indexOf('\r\n');
        if (eol < 0) return;
        const line = Buffer.from(buffered.slice(0, eol), 'latin1').toString('utf8');
        buffered = buffered.slice(eol + 2);
        answer(line);
      }
    });
    socket.write('220 reply-hub.test ESMTP\r\n');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    replies,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
