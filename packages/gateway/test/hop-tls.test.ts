/** How relay() talks TLS to a hop that offers STARTTLS but cannot start it (454). */
import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { closeRelays, relay } from '../src/delivery/smtp-relay';

/** A scripted SMTP peer: offers STARTTLS, answers it 454, takes the message in clear; counts what it saw. */
function startTlsUnavailableHub(): Promise<{ server: Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((socket: Socket) => {
    let inData = false;
    let buffer = '';
    socket.write('220 hub.test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            socket.write('250 2.0.0 taken in clear\r\n');
          }
          continue;
        }
        seen.push(line.split(' ')[0]!.toUpperCase());
        if (/^EHLO/i.test(line)) socket.write('250-hub.test\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n');
        else if (/^STARTTLS/i.test(line)) socket.write('454 4.7.0 TLS not available now\r\n');
        else if (/^DATA/i.test(line)) {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, seen })));
}

describe('STARTTLS answered 454', () => {
  let hub: Awaited<ReturnType<typeof startTlsUnavailableHub>>;
  beforeAll(async () => (hub = await startTlsUnavailableHub()));
  afterAll(async () => {
    closeRelays();
    if (hub) await new Promise((r) => hub.server.close(r));
  });
  const open = () => Readable.from([Buffer.from('Subject: t\r\n\r\nx\r\n')]);

  it('a hub (TLS not required) gets the message in clear, as RFC 3207 allows', async () => {
    const outcomes = await relay([{ host: '127.0.0.1', port: hub.port }], 'a@example.org', ['b@acme.example'], open, { mode: 'smtp', timeout: 5 });
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'delivered', detail: expect.stringMatching(/taken in clear/) })]);
    expect(hub.seen).toEqual(expect.arrayContaining(['EHLO', 'STARTTLS', 'MAIL', 'RCPT', 'DATA']));
  });

  it('a smarthost with a password gets neither: temporary, no AUTH sent', async () => {
    hub.seen.length = 0;
    const config = { mode: 'smtp' as const, timeout: 5, smarthost: { host: '127.0.0.1', port: hub.port, user: 'acme', pass: 'pw' } };
    const outcomes = await relay([{ host: '127.0.0.1', port: hub.port }], 'a@example.org', ['b@elsewhere.example'], open, config, 'smarthost');
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'temporary', detail: expect.stringMatching(/the password was not sent/) })]);
    expect(hub.seen).not.toContain('AUTH');
    expect(hub.seen).not.toContain('MAIL');
  });
});
