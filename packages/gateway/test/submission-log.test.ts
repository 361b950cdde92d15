/**
 * A submission listener logs every AUTH: who, from where, and how it went; never the password.
 * Its ehlo lines never call AUTH hidden: the listener offers it (under TLS) whatever the policy hides.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { passwordLine } from '../src/password-file';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually, startHub, type HubSink } from './hub-sink';
import { SUBMISSION_POLICY as POLICY } from './support/submission-policy';

let dir: string;
let gw: RunningGateway;
let hub: HubSink;
const lines: string[] = [];
const auths = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'auth');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-sub-log-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=gw.test'], { stdio: 'ignore' });
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  writeFileSync(join(dir, 'passwords'), `${passwordLine('alice', 'correct horse')}\n`);
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), secret: 'submission-log-test-secret',
    listeners: [
      { listen: '127.0.0.1:0', tls: { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') }, auth: { passwords: join(dir, 'passwords') } },
      // The same policy on a listener without logins: there AUTH is the policy's to hide.
      { listen: '127.0.0.1:0', tls: { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') } },
    ],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`] },
  }, createLog('info', (l) => lines.push(l), false));
});
afterAll(async () => {
  await gw?.stop(1000);
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (pass: string) => {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, requireTLS: true, tls: { rejectUnauthorized: false }, auth: { user: 'alice', pass } });
  return t.sendMail({ envelope: { from: 'alice@acme.example', to: ['friend@elsewhere.example'] }, raw: 'Subject: s\r\n\r\nhi\r\n' }).finally(() => t.close());
};

it('logs a login that passed and one that was refused, with the session, and without the password', async () => {
  await send('correct horse');
  await expect(send('wrong guess')).rejects.toMatchObject({ responseCode: 535 });
  await eventually(() => auths().length === 2);
  const sessions = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'connect').map((l) => l.session);
  expect(auths()).toEqual([
    { time: expect.any(String), level: 'info', event: 'auth', session: sessions[0], client: '127.0.0.1', user: 'alice', method: 'PLAIN', outcome: 'accepted' },
    { time: expect.any(String), level: 'info', event: 'auth', session: sessions[1], client: '127.0.0.1', user: 'alice', method: 'PLAIN', outcome: 'refused' },
  ]);
  expect(lines.join('')).not.toMatch(/correct horse|wrong guess/);
});

it('does not call AUTH hidden in the ehlo line of the submission listener, before STARTTLS either', async () => {
  // Trial: before TLS the line said AUTH was hidden by the policy; it is only not offered in clear.
  await send('correct horse');
  await eventually(() => lines.some((l) => l.includes('"event":"ehlo"') && l.includes('"AUTH"')));
  const ehlos = lines.map((l) => JSON.parse(l) as { event: string; offered?: string[]; hidden?: string[] }).filter((l) => l.event === 'ehlo');
  expect(ehlos.some((e) => !e.offered!.includes('AUTH'))).toBe(true);
  expect(ehlos.some((e) => e.offered!.includes('AUTH'))).toBe(true);
  for (const e of ehlos) expect(e.hidden).not.toContain('AUTH');
});

it('still calls AUTH hidden where the listener takes no logins', async () => {
  const before = lines.length;
  const d = await openDialog(gw.addresses[1]!.port);
  await d.send('EHLO client.test\r\n');
  await d.send('QUIT\r\n');
  d.close();
  await eventually(() => lines.slice(before).some((l) => l.includes('"event":"ehlo"')));
  const ehlo = lines.slice(before).map((l) => JSON.parse(l) as { event: string; offered?: string[]; hidden?: string[] }).find((l) => l.event === 'ehlo')!;
  expect(ehlo.offered).not.toContain('AUTH');
  expect(ehlo.hidden).toEqual(['AUTH']);
});
