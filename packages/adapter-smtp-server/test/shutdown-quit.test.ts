/**
 * A session in flight when the server closes finishes: its transaction goes on to the end and
 * QUIT is answered 221 (RFC 5321: always), not smtp-server's `421 Server shutting down`; what
 * would start anything new after the close still gets the 421.
 */
import { Socket, type AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { closeServer, createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const policy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: all
      do: [ accept ]
`, 'shutdown.yaml');

let server: SMTPServer;
let events: Record<string, unknown>[];
let closed: Promise<void>;
let port = 0;

beforeEach(async () => {
  events = [];
  server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), log: (e) => events.push(e), server: { closeTimeout: 10_000 } });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as AddressInfo).port;
});
afterEach(() => closed);

const close = (): void => {
  closed = new Promise<void>((r) => server.close(() => r()));
};
/** The `close` lines, once `n` sessions have logged theirs (smtp-server's onClose comes after the socket's close). */
const closeLines = async (n: number): Promise<Record<string, unknown>[]> => {
  for (const end = Date.now() + 5000; events.filter((e) => e.event === 'close').length < n; ) {
    if (Date.now() > end) throw new Error(`no ${n} close lines in ${JSON.stringify(events)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return events.filter((e) => e.event === 'close');
};

it('answers QUIT 221 to a session whose DATA was under way at the close, and does not count an error', async () => {
  const dialog = await openDialog(port);
  await dialog.send('EHLO client.example\r\n');
  await dialog.send('MAIL FROM:<a@example.org>\r\n');
  await dialog.send('RCPT TO:<b@acme.example>\r\n');
  expect(await dialog.send('DATA\r\n')).toMatch(/^354/);
  dialog.write('Subject: in flight\r\n\r\nline1\r\n');
  close();
  expect(await dialog.send('line2\r\n.\r\n')).toMatch(/^250 .*queued as Q1/);
  expect(await dialog.send('QUIT\r\n')).toMatch(/^221 /);
  await dialog.closed;
  await closed;
  expect(await closeLines(1)).toMatchObject([{ reason: 'quit', errors: 0, messages: 1 }]);
});

it('lets a transaction opened before the close go on to its end', async () => {
  const dialog = await openDialog(port);
  await dialog.send('EHLO client.example\r\n');
  await dialog.send('MAIL FROM:<a@example.org>\r\n');
  close();
  expect(await dialog.send('RCPT TO:<b@acme.example>\r\n')).toMatch(/^250 /);
  expect(await dialog.send('DATA\r\n')).toMatch(/^354/);
  expect(await dialog.send('Subject: late\r\n\r\nx\r\n.\r\n')).toMatch(/^250 /);
  // The transaction is over: another one does not start on a server that is closing.
  expect(await dialog.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^421 .*shutting down/);
  await dialog.closed;
  await closed;
  expect(await closeLines(1)).toMatchObject([{ reason: 'shutdown', messages: 1 }]);
});

it('answers QUIT 221 to an idle session, and 421 to a new transaction', async () => {
  const idle = await openDialog(port);
  const other = await openDialog(port);
  await idle.send('EHLO client.example\r\n');
  await other.send('EHLO other.example\r\n');
  close();
  expect(await other.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^421 4\.4\.2 .*shutting down/);
  expect(await idle.send('QUIT\r\n')).toMatch(/^221 /);
  await Promise.all([idle.closed, other.closed]);
  await closed;
  expect((await closeLines(2)).map((e) => e.reason).sort()).toEqual(['quit', 'shutdown']);
});

it('closeServer answers a session still open at the end of the grace time 421 and closes its socket, not half-closes it', async () => {
  const idle = await openDialog(port);
  await idle.send('EHLO client.example\r\n');
  const quit = await openDialog(port);
  expect(await quit.send('QUIT\r\n')).toMatch(/^221 /); // and this client never closes its side either
  const started = Date.now();
  closed = closeServer(server, 200);
  await closed;
  expect(Date.now() - started).toBeLessThan(2000);
  expect(await idle.reply()).toMatch(/^421 4\.4\.2 .*shutting down/);
  // smtp-server's close() half-closes and waits up to 5 s for the client: nothing of it is left.
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  expect(handles.filter((h) => h instanceof Socket && h.localPort === port && !h.destroyed)).toEqual([]);
  // Logged by the time it resolves: a gateway's `stopped` line comes after them.
  expect(events.filter((e) => e.event === 'close').map((e) => e.reason).sort()).toEqual(['quit', 'shutdown']);
  idle.close();
  quit.close();
});
