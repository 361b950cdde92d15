/**
 * `client.user` is who logged in with AUTH, which comes after the connection's state is made:
 * rules on it see the login from the next command on.
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore, type AcceptedMessage } from '../src/index';
import { openDialog, type Dialog } from './smtp-dialog';
import { startTls, testCertificate } from './tls-dialog';

const policy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: user-alice
      when: { client: { user: alice } }
      do: [ accept ]
    - id: others
      when: { client: { authenticated: true } }
      do: [ { reject: { code: 550, status: 5.7.1, text: "not alice" } } ]
    - id: anonymous
      do: [ { reject: { code: 550, status: 5.7.1, text: "log in first" } } ]
`, 'user.yaml');

it('matches client.user after AUTH, and not before', async () => {
  const delivered: AcceptedMessage[] = [];
  const server = createPolicyServer({
    policy: () => policy,
    store: memoryStore(async (m) => {
      delivered.push(m);
      return 'Q1';
    }),
    server: testCertificate(),
    authenticate: (user, password) => password === 'pw' && (user === 'alice' || user === 'bob'),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const opened: Dialog[] = [];
  const open = async (): Promise<Dialog> => {
    const d = await openDialog((server.server.address() as AddressInfo).port);
    opened.push(d);
    return d;
  };
  try {
    const plain = await open();
    await plain.send('EHLO client.example\r\n');
    const d = await startTls(plain);
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@acme.example>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<x@elsewhere.example>\r\n')).toBe('550 5.7.1 log in first');
    expect(await d.send('RSET\r\n')).toMatch(/^250/);
    expect(await d.send(`AUTH PLAIN ${Buffer.from('\0alice\0pw').toString('base64')}\r\n`)).toMatch(/^235/);
    expect(await d.send('MAIL FROM:<a@acme.example>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<x@elsewhere.example>\r\n')).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send('Subject: hi\r\n\r\nhi\r\n.\r\n')).toMatch(/^250/);
    expect(delivered[0]!.client).toMatchObject({ authenticated: true, user: 'alice' });

    // Another login on another connection is that user, not the first one's.
    const plain2 = await open();
    await plain2.send('EHLO client.example\r\n');
    const d2 = await startTls(plain2);
    await d2.send('EHLO client.example\r\n');
    expect(await d2.send(`AUTH PLAIN ${Buffer.from('\0bob\0pw').toString('base64')}\r\n`)).toMatch(/^235/);
    expect(await d2.send('MAIL FROM:<b@acme.example>\r\n')).toMatch(/^250/);
    expect(await d2.send('RCPT TO:<x@elsewhere.example>\r\n')).toBe('550 5.7.1 not alice');
  } finally {
    for (const d of opened) d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

// Trial 37: after AUTH the decision and queued lines named neither the user nor the direction,
// so the log could not say who sent a message, nor that it went out.
it('logs the logged-in user and the direction on the decision and queued lines', async () => {
  const lines: Record<string, unknown>[] = [];
  const server = createPolicyServer({
    policy: () => policy,
    store: memoryStore(async () => 'Q1'),
    server: testCertificate(),
    authenticate: (user, password) => password === 'pw' && user === 'alice',
    log: (e) => lines.push(e),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const plain = await openDialog((server.server.address() as AddressInfo).port);
  let d: Dialog = plain;
  try {
    await plain.send('EHLO client.example\r\n');
    d = await startTls(plain);
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@acme.example>\r\n')).toMatch(/^250/);
    expect(await d.send('RSET\r\n')).toMatch(/^250/);
    expect(await d.send(`AUTH PLAIN ${Buffer.from('\0alice\0pw').toString('base64')}\r\n`)).toMatch(/^235/);
    expect(await d.send('MAIL FROM:<a@acme.example>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<x@elsewhere.example>\r\n')).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send('Subject: hi\r\n\r\nhi\r\n.\r\n')).toMatch(/^250/);
  } finally {
    d.close();
    plain.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
  const shown = lines.filter((l) => l.event === 'decision' || l.event === 'queued').map((l) => [l.event, l.stage, l.user, l.direction]);
  expect(shown).toEqual([
    ['decision', 'connect', undefined, 'inbound'],
    ['decision', 'helo', undefined, 'inbound'],
    ['decision', 'helo', undefined, 'inbound'],
    ['decision', 'mail', undefined, 'inbound'],
    ['decision', 'mail', 'alice', 'outbound'],
    ['decision', 'rcpt', 'alice', 'outbound'],
    ['decision', 'data', 'alice', 'outbound'],
    ['queued', undefined, 'alice', 'outbound'],
  ]);
});
