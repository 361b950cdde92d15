import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { available } from '../../facts/test/services';
import { createLog, defaultConfig, ImapLogin, startGateway, type ListenerConfig, type RunningGateway } from '../src/index';
import { startDovecot, type Dovecot } from './dovecot';
import { eventually, startHub, type HubSink } from './hub-sink';
import { SUBMISSION_POLICY as POLICY } from './support/submission-policy';

const PASSWORD = 'correct horse battery';

// Dovecot drops to its own users, so it runs as root (as CI does); elsewhere the suite says why it skips.
function runnable(): boolean {
  if (!available('dovecot')) return false;
  if (process.getuid?.() === 0) return true;
  if (process.env.CI === 'true') throw new Error('the IMAP submission test must run as root under CI (dovecot drops to its own users)');
  console.warn('not root: the IMAP submission tests are skipped (dovecot needs root to start)');
  return false;
}
const maybe = runnable() ? describe : describe.skip;

maybe('submission listener: AUTH over TLS checked against a real IMAP server (dovecot)', () => {
  let dir: string;
  let dovecot: Dovecot | undefined;
  let silent: Server;
  let gw: RunningGateway | undefined;
  let hub: HubSink | undefined;
  const logged: string[] = [];
  // One listener per way of reaching the IMAP server; the test picks by name.
  const names = ['implicit', 'starttls', 'untrusted', 'silent'] as const;
  const port = (name: (typeof names)[number]): number => gw!.addresses[names.indexOf(name)]!.port;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-sub-imap-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=gw.test'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    // The gateway reaches dovecot from 127.0.0.1: trusted, so dovecot takes the SMTP client's address from ID.
    dovecot = await startDovecot({ alice: PASSWORD }, '127.0.0.1/32');
    // Accepts the connection and never greets: the timeout case.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentPort = (silent.address() as { port: number }).port;
    const tls = { key: join(dir, 'key.pem'), cert: join(dir, 'cert.pem') };
    const imap: Record<(typeof names)[number], NonNullable<ListenerConfig['auth']>['imap']> = {
      implicit: { host: '127.0.0.1', port: dovecot.imapsPort, tls: 'implicit', ca: dovecot.cert },
      starttls: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'starttls', ca: dovecot.cert, cacheTime: 0 },
      untrusted: { host: '127.0.0.1', port: dovecot.imapsPort, cacheTime: 0 },
      silent: { host: '127.0.0.1', port: silentPort, timeout: 1000 },
    };
    hub = await startHub();
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), secret: 'submission-imap-test-secret',
      listeners: names.map((n) => ({ listen: '127.0.0.1:0', tls, auth: { imap: imap[n]! } })),
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`] },
    }, createLog('debug', (line) => logged.push(line), false));
  }, 60_000);
  afterAll(async () => {
    await gw?.stop(1000);
    await hub?.close();
    await dovecot?.stop();
    silent?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (listener: (typeof names)[number], auth?: { user: string; pass: string; method?: string }, requireTLS = true, from = '127.0.0.1') => nodemailer.createTransport({
    host: '127.0.0.1', port: port(listener), localAddress: from, requireTLS, ignoreTLS: !requireTLS, tls: { rejectUnauthorized: false, minVersion: 'TLSv1.2' },
    ...(auth ? { auth: { user: auth.user, pass: auth.pass }, ...(auth.method ? { authMethod: auth.method } : {}) } : {}),
  }).sendMail({ envelope: { from: 'alice@acme.example', to: ['friend@elsewhere.example'] }, raw: 'Subject: out\r\n\r\nhi\r\n' });

  it('a login dovecot takes is accepted and its mail is outbound: it may go to a foreign domain (IMAP over implicit TLS)', async () => {
    const info = await send('implicit', { user: 'alice', pass: PASSWORD });
    expect(info.accepted).toEqual(['friend@elsewhere.example']);
    await eventually(() => hub!.received.some((m) => m.to.includes('friend@elsewhere.example')));
  });

  it('the same over IMAP with STARTTLS, with AUTH LOGIN', async () => {
    expect((await send('starttls', { user: 'alice', pass: PASSWORD, method: 'LOGIN' })).accepted).toEqual(['friend@elsewhere.example']);
  });

  it('a wrong password or an unknown user gets 535 5.7.8', async () => {
    await expect(send('implicit', { user: 'alice', pass: 'wrong' })).rejects.toMatchObject({ responseCode: 535 });
    await expect(send('starttls', { user: 'mallory', pass: PASSWORD })).rejects.toMatchObject({ responseCode: 535 });
  });

  it("dovecot slows the client that failed, not everyone: the gateway passes the SMTP client's address on", async () => {
    const t = Date.now();
    expect((await send('starttls', { user: 'alice', pass: PASSWORD }, true, '127.0.0.3')).accepted).toEqual(['friend@elsewhere.example']);
    expect(Date.now() - t).toBeLessThan(2000);
  });

  it("dovecot's password backend failing (NO [UNAVAILABLE]): 454, not 535", async () => {
    dovecot!.unavailable(true);
    try {
      await expect(send('starttls', { user: 'alice', pass: 'wrong' }, true, '127.0.0.4')).rejects.toMatchObject({ responseCode: 454 });
    } finally {
      dovecot!.unavailable(false);
    }
    expect(logged.some((l) => l.includes('"event":"auth-unavailable"') && l.includes('UNAVAILABLE'))).toBe(true);
  });

  it('an IMAP certificate that is not trusted (no `ca`) gets 454 4.7.0, not a pass', async () => {
    await expect(send('untrusted', { user: 'alice', pass: PASSWORD })).rejects.toMatchObject({ responseCode: 454, response: expect.stringContaining('4.7.0') });
  });

  it('an IMAP server that never answers gets 454 once the timeout is past', async () => {
    const t = Date.now();
    await expect(send('silent', { user: 'alice', pass: PASSWORD })).rejects.toMatchObject({ responseCode: 454 });
    expect(Date.now() - t).toBeLessThan(5000);
  });

  it('AUTH is not offered before TLS, and a client that did not log in stays inbound', async () => {
    // No AUTH in the cleartext EHLO: nodemailer does not log in, and its mail is an Internet client's.
    await expect(send('implicit', { user: 'alice', pass: PASSWORD }, false)).rejects.toMatchObject({ responseCode: 550 });
    await expect(send('implicit')).rejects.toMatchObject({ responseCode: 550 });
  });

  it('dovecot stopped: 454 4.7.0 (a wrong password too: nobody can tell), except a login still in the cache', async () => {
    await dovecot!.stop();
    await expect(send('starttls', { user: 'alice', pass: PASSWORD })).rejects.toMatchObject({ responseCode: 454 });
    await expect(send('implicit', { user: 'alice', pass: 'wrong' })).rejects.toMatchObject({ responseCode: 454 });
    expect((await send('implicit', { user: 'alice', pass: PASSWORD })).accepted).toEqual(['friend@elsewhere.example']);
    expect(logged.some((l) => l.includes('"event":"auth-unavailable"') && l.includes('ECONNREFUSED'))).toBe(true);
  });

  it('a user name or password with a control character is refused without asking the server', async () => {
    const login = new ImapLogin({ host: '127.0.0.1', port: (silent.address() as { port: number }).port, timeout: 1000 });
    await expect(login.check('alice\r\nA1 LOGOUT', PASSWORD)).resolves.toBe(false);
    await expect(login.check('alice', `${PASSWORD}\0`)).resolves.toBe(false);
  });

  it('never logs a password', () => {
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.filter((l) => l.includes(PASSWORD) || l.includes('"wrong"'))).toEqual([]);
  });
});
