/**
 * A bad line added to the password file while the gateway runs: the last good file stays in use
 * and a warning names file:line:col, and the other bad lines. Trial 4: every AUTH got 454, and
 * nothing was logged.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { passwordLine } from '../src/password-file';
import { startHub, type HubSink } from './hub-sink';
import { SUBMISSION_POLICY as POLICY } from './support/submission-policy';

let dir: string;
let gw: RunningGateway;
let hub: HubSink;
const events: Record<string, unknown>[] = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-pwedit-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=gw.test'], { stdio: 'ignore' });
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'passwords'), `# users\n${passwordLine('alice', 'correct horse')}\n`);
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), secret: 'password-edit-test-secret',
    listeners: [{ listen: '127.0.0.1:0', tls: { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') }, auth: { passwords: join(dir, 'passwords') } }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`] },
  }, createLog('warn', (line) => void events.push(JSON.parse(line) as Record<string, unknown>), false));
});
afterAll(async () => {
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (pass: string) => nodemailer.createTransport({
  host: '127.0.0.1', port: gw.addresses[0]!.port, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: 'alice', pass },
}).sendMail({ envelope: { from: 'alice@acme.example', to: ['friend@elsewhere.example'] }, raw: 'Subject: out\r\n\r\nhi\r\n' });

it('keeps the last good file and warns once, naming file:line, when a bad line is added', async () => {
  appendFileSync(join(dir, 'passwords'), 'garbage line without colons\n');
  expect((await send('correct horse')).accepted).toEqual(['friend@elsewhere.example']);
  await expect(send('wrong')).rejects.toMatchObject({ responseCode: 535 });
  const warned = events.filter((e) => e.event === 'passwords-invalid');
  expect(warned).toEqual([expect.objectContaining({ level: 'warn', file: `${join(dir, 'passwords')}:3:1`, problem: expect.stringMatching(/^expected user:scrypt:N:salt:hash/) })]);
  expect(warned[0]).not.toHaveProperty('others');
});

it('takes the file again once it is fixed, and a new bad line is told again', async () => {
  writeFileSync(join(dir, 'passwords'), `${passwordLine('alice', 'new horse')}\n`);
  expect((await send('new horse')).accepted).toEqual(['friend@elsewhere.example']);
  appendFileSync(join(dir, 'passwords'), 'bob:scrypt:1000:c2FsdA==:aGFzaA==\ncarol:bcrypt:10:c2FsdA==:aGFzaA==\n'); // N not a power of two: scrypt would throw
  expect((await send('new horse')).accepted).toEqual(['friend@elsewhere.example']);
  const warned = events.filter((e) => e.event === 'passwords-invalid');
  expect(warned.map((e) => e.file)).toEqual([`${join(dir, 'passwords')}:3:1`, `${join(dir, 'passwords')}:2:12`]);
  expect(warned[1]!.others).toEqual([expect.stringMatching(new RegExp(`^${join(dir, 'passwords')}:3:7: unknown hash scheme "bcrypt"`))]);
});
