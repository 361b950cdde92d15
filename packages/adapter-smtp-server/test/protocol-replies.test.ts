/**
 * What smtp-server answers on its own, before any hook runs (unknown commands, MAIL before
 * HELO, SIZE= over the limit, AUTH in clear), still follows the policy's `smtp:` controls: the
 * replies carry their status codes, they count toward the hard error limit, and AUTH is
 * offered only under TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const POLICY = loadPolicy(`
version: 1
smtp: { maxSize: 20KB, hardErrorLimit: 4, requireHelo: true, greetPause: 0 }
rcpt: { rules: [ { id: all, do: [ accept ] } ] }
`, 'test.yaml');

describe('replies smtp-server makes itself', () => {
  let dir: string;
  let server: SMTPServer;
  let port: number;
  const events: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-replies-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=replies.test'], { stdio: 'ignore' });
    server = createPolicyServer({
      policy: () => POLICY,
      store: memoryStore(async () => 'Q1'),
      server: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      authenticate: (user, password) => user === 'alice' && password === 'pw',
      log: (e) => events.push(e),
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives MAIL before HELO 503 5.5.1 and SIZE= over maxSize 552 5.3.4', async () => {
    const d = await openDialog(port);
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^503 5\.5\.1 /);
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=30000\r\n')).toMatch(/^552 5\.3\.4 /);
    d.close();
  });

  it('gives XCLIENT and XFORWARD, which it does not take, 550 5.7.1', async () => {
    const d = await openDialog(port);
    await d.send('EHLO client.example\r\n');
    expect(await d.send('XCLIENT ADDR=192.0.2.1\r\n')).toBe('550 5.7.1 Error: Not allowed');
    expect(await d.send('XFORWARD ADDR=192.0.2.1\r\n')).toBe('550 5.7.1 Error: Not allowed');
    d.close();
  });

  it('counts unknown and disabled commands toward hardErrorLimit: the last is answered, then 421 and the connection closed', async () => {
    const d = await openDialog(port);
    expect(await d.send('EHLO client.example\r\n')).toMatch(/^250/);
    expect(await d.send('VRFY root\r\n')).toMatch(/^500 5\.5\.2 /);
    expect(await d.send('WIZ\r\n')).toMatch(/^500 /);
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=30000\r\n')).toMatch(/^552 /);
    expect(await d.send('FOO\r\n')).toMatch(/^500 5\.5\.2 /);
    expect(await d.reply()).toMatch(/^421 4\.7\.0 Too many errors \(4\)/);
    await d.closed;
    expect(events).toContainEqual(expect.objectContaining({ event: 'hard-error-limit', errors: 4 }));
  });

  it('offers AUTH only under TLS, and refuses it in clear with 538', async () => {
    const d = await openDialog(port);
    const ehlo = await d.send('EHLO client.example\r\n');
    expect(ehlo).toMatch(/STARTTLS/);
    expect(ehlo).not.toMatch(/AUTH/);
    expect(await d.send('AUTH PLAIN AGFsaWNlAHB3\r\n')).toMatch(/^538 5\.7\.0 /);
    expect(await d.send('STARTTLS\r\n')).toMatch(/^220/);
    const secure = tlsConnect({ socket: d.socket, rejectUnauthorized: false });
    const replies: string[] = [];
    secure.on('data', (b: Buffer) => replies.push(b.toString()));
    await new Promise<void>((r) => secure.once('secureConnect', () => r()));
    secure.write('EHLO client.example\r\n');
    await new Promise<void>((r) => secure.on('data', () => /^250 /m.test(replies.join('')) && r()));
    expect(replies.join('')).toMatch(/250-AUTH PLAIN LOGIN/);
    secure.destroy();
  });
});

it('takes no AUTH in clear on a server without TLS either (538)', async () => {
  const server = createPolicyServer({ policy: () => POLICY, store: memoryStore(async () => 'Q1'), authenticate: () => true });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  expect(await d.send('EHLO client.example\r\n')).not.toMatch(/AUTH/);
  expect(await d.send('AUTH PLAIN AGFsaWNlAHB3\r\n')).toMatch(/^538 5\.7\.0 /);
  // Refused at the command: no `334 Password:` asks for a password that would cross in clear.
  expect(await d.send('AUTH LOGIN\r\n')).toMatch(/^538 5\.7\.0 /);
  expect(await d.send('AUTH PLAIN\r\n')).toMatch(/^538 5\.7\.0 /);
  expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
  d.close();
  await new Promise<void>((r) => server.close(() => r()));
});

it('without hardErrorLimit, a session guessing passwords is cut after 20 failed logins (trial J)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-guess-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=guess.test'], { stdio: 'ignore' });
  const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\n', 'default-limit.yaml');
  const events: Record<string, unknown>[] = [];
  const server = createPolicyServer({
    policy: () => policy, store: memoryStore(async () => 'Q1'), log: (e) => events.push(e),
    server: { secure: true, key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    authenticate: (user, password) => user === 'alice' && password === 'right',
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const socket = tlsConnect({ port: (server.server.address() as AddressInfo).port, host: '127.0.0.1', rejectUnauthorized: false });
  let text = '';
  socket.on('data', (b: Buffer) => (text += b.toString()));
  const closed = new Promise<void>((r) => socket.once('close', () => r()));
  const lines = async (n: number): Promise<void> => {
    while ((text.match(/^\d{3} /gm) ?? []).length < n) await new Promise((r) => setTimeout(r, 5));
  };
  try {
    await lines(1);
    socket.write('EHLO client.example\r\n');
    await lines(2);
    for (let i = 1; i <= 20; i++) {
      socket.write(`AUTH PLAIN ${Buffer.from(`\0alice\0guess${i}`).toString('base64')}\r\n`);
      await lines(2 + i);
    }
    await closed;
    expect(text.match(/^535 /gm)).toHaveLength(20);
    expect(text).toMatch(/421 4\.7\.0 Too many errors \(20\); closing connection\r\n$/);
    expect(events).toContainEqual(expect.objectContaining({ event: 'hard-error-limit', errors: 20 }));
  } finally {
    socket.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});

it('starts the default count again after a message is taken, as Postfix counts errors made without delivering mail (review)', async () => {
  const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\nrcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }\n', 'reset.yaml');
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1') });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    const refuseMany = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) expect(await d.send(`RCPT TO:<gone${i}@elsewhere.example>\r\n`)).toMatch(/^550 /);
    };
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250 /);
    await refuseMany(19);
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toMatch(/^250 /);
    expect(await d.send('DATA\r\n')).toMatch(/^354 /);
    expect(await d.send('Subject: x\r\n\r\nhi\r\n.\r\n')).toMatch(/^250 /);
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250 /);
    await refuseMany(19); // 38 in the session, 19 since the message: still served
    expect(await d.send('NOOP\r\n')).toMatch(/^250 /);
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
