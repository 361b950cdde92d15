import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { passwordLine } from '../src/password-file';
import { eventually, startHub, type HubSink } from './hub-sink';
import { SUBMISSION_POLICY as POLICY } from './support/submission-policy';


describe('submission listener: AUTH over TLS against a password file', () => {
  let dir: string;
  let gw: RunningGateway;
  let hub: HubSink;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-sub-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=gw.test'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    writeFileSync(join(dir, 'passwords'), `# users\n${passwordLine('alice', 'correct horse')}\n`);
    hub = await startHub();
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), secret: 'submission-test-secret',
      listeners: [{ listen: '127.0.0.1:0', tls: { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') }, auth: { passwords: join(dir, 'passwords') } }],
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`] },
    }, createLog('error', () => undefined, false));
  });
  afterAll(async () => {
    await gw.stop(1000);
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (auth?: { user: string; pass: string }, requireTLS = true) => nodemailer.createTransport({
    host: '127.0.0.1', port: gw.addresses[0]!.port, requireTLS, ignoreTLS: !requireTLS, tls: { rejectUnauthorized: false, minVersion: 'TLSv1.2' }, ...(auth ? { auth } : {}),
  });

  it('lets an authenticated user send anywhere (outbound), over STARTTLS', async () => {
    const info = await client({ user: 'alice', pass: 'correct horse' }).sendMail({ envelope: { from: 'alice@acme.example', to: ['friend@elsewhere.example'] }, raw: 'Subject: out\r\n\r\nhi\r\n' });
    expect(info.accepted).toEqual(['friend@elsewhere.example']);
    await eventually(() => hub.received.some((m) => m.to.includes('friend@elsewhere.example')));
  });

  it('refuses a wrong password with 535', async () => {
    await expect(client({ user: 'alice', pass: 'wrong' }).sendMail({ envelope: { from: 'alice@acme.example', to: ['x@elsewhere.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' }))
      .rejects.toMatchObject({ responseCode: 535 });
  });

  it('does not offer AUTH before TLS, and an unauthenticated client stays inbound', async () => {
    await expect(client({ user: 'alice', pass: 'correct horse' }, false).sendMail({ envelope: { from: 'a@example.org', to: ['x@elsewhere.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' }))
      .rejects.toThrow();
    await expect(client(undefined).sendMail({ envelope: { from: 'a@example.org', to: ['x@elsewhere.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' }))
      .rejects.toMatchObject({ responseCode: 550 });
  });
});
