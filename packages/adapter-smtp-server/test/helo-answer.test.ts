/** The policy's `helo` stage answers HELO/EHLO itself: a refused name is refused at that command. */
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

const POLICY = `
version: 1
smtp: { greetPause: 0 }
helo:
  rules:
    - id: no-localhost
      when: { helo: [localhost, "*.localdomain"] }
      do: [ { reject: { code: 550, status: 5.7.1, text: "HELO name refused" } } ]
    - id: busy
      when: { helo: busy.example }
      do: [ tempfail ]
rcpt: { rules: [ { id: all, do: [ accept ] } ] }
`;

let server: SMTPServer;
let port: number;
const decisions: Record<string, unknown>[] = [];

beforeAll(async () => {
  const policy = loadPolicy(POLICY, 'test.yaml');
  const log = (e: Record<string, unknown>): void => {
    if (e.event === 'decision') decisions.push(e);
  };
  server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), log });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => decisions.splice(0));

it('refuses a name at EHLO and at HELO, leaves the client ungreeted, and greets a good name after it', async () => {
  const d = await openDialog(port);
  expect(await d.send('EHLO LOCALHOST\r\n')).toBe('550 5.7.1 HELO name refused');
  expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^503 5\.5\.1 /);
  expect(await d.send('HELO box.localdomain\r\n')).toBe('550 5.7.1 HELO name refused');
  expect(await d.send('EHLO busy.example\r\n')).toBe('451 4.7.1 Try again later');
  expect(await d.send('EHLO client.example\r\n')).toMatch(/^250-/);
  expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toBe('250 2.1.0 OK');
  d.close();
  await d.closed;
  // One decision per name, each with the name it was made on; MAIL did not decide it again.
  expect(decisions.filter((e) => e.stage === 'helo').map((e) => [e.helo, e.verdict])).toEqual([
    ['localhost', 'reject'], ['box.localdomain', 'reject'], ['busy.example', 'tempfail'], ['client.example', 'accept'],
  ]);
  expect(decisions.find((e) => e.stage === 'mail')).toMatchObject({ helo: 'client.example', verdict: 'accept' });
});

it("leaves a malformed HELO to smtp-server's 501", async () => {
  const d = await openDialog(port);
  expect(await d.send('EHLO\r\n')).toMatch(/^501 /);
  expect(await d.send('HELO a b\r\n')).toMatch(/^501 /);
  d.close();
  await d.closed;
  expect(decisions.filter((e) => e.stage !== 'connect')).toEqual([]);
});

it('decides a name again after STARTTLS, with the session as it now is', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-helo-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=helo.test'], { stdio: 'ignore' });
  const policy = loadPolicy(`version: 1
smtp: { greetPause: 0 }
helo:
  rules:
    - id: tls-only
      when: { helo: secure.example, client: { tls: false } }
      do: [ { reject: { code: 550, status: 5.7.1, text: "secure.example only over TLS" } } ]
rcpt: { rules: [ { id: all, do: [ accept ] } ] }
`, 'tls.yaml');
  const tlsServer = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), server: { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) } });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', () => r()));
  try {
    const d = await openDialog((tlsServer.server.address() as AddressInfo).port);
    expect(await d.send('EHLO secure.example\r\n')).toBe('550 5.7.1 secure.example only over TLS');
    expect(await d.send('STARTTLS\r\n')).toMatch(/^220/);
    const secure = tlsConnect({ socket: d.socket, rejectUnauthorized: false });
    let replies = '';
    secure.on('data', (b: Buffer) => (replies += b.toString()));
    await new Promise<void>((r) => secure.once('secureConnect', () => r()));
    secure.write('EHLO secure.example\r\n');
    await new Promise<void>((r) => secure.on('data', () => /^(250|550) /m.test(replies) && r()));
    expect(replies).toMatch(/^250 /m);
    secure.destroy();
  } finally {
    await new Promise<void>((r) => tlsServer.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
});
