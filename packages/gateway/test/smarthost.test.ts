/**
 * A real gateway relaying through a smarthost that wants AUTH (PLAIN, LOGIN, CRAM-MD5) after
 * STARTTLS, as an ISP's relay does; and what happens when the login or the certificate is wrong.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, loadGatewayConfig, startGateway, type RunningGateway } from '../src/index';
import { selfSignedCert, startAuthRelay, type AuthRelay } from './auth-relay-sink';
import { eventually } from './hub-sink';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

let dir: string;
let tls: { cert: string; key: string };
const cleanups: (() => Promise<void>)[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-smarthost-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  tls = selfSignedCert(dir);
});
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

/** A relay and a gateway (from a gateway.yaml) whose smarthost is that relay; the gateway's log lines kept. */
async function setUp(relayOpts: Omit<Parameters<typeof startAuthRelay>[0], 'tls'>, smarthost: string): Promise<{ relay: AuthRelay; gw: RunningGateway; log: string[] }> {
  const relay = await startAuthRelay({ ...relayOpts, tls });
  cleanups.push(() => relay.close());
  const yaml = [
    'policy: policy.yaml', 'hostname: gw.test', 'secret: smarthost-test-secret', `spool: spool-${relay.port}`,
    'listeners: [{ listen: "127.0.0.1:0" }]',
    `delivery: { mode: smtp, timeout: 5, smarthost: { host: 127.0.0.1, port: ${relay.port}, ${smarthost} } }`,
    'queue: { scanPeriod: 0.1, resendPeriod: 600, abandonTime: 86400, maxBackoff: 600 }', '',
  ].join('\n');
  writeFileSync(join(dir, 'gateway.yaml'), yaml);
  const log: string[] = [];
  const gw = await startGateway(loadGatewayConfig(join(dir, 'gateway.yaml')), createLog('info', (l) => log.push(l), false));
  cleanups.push(() => gw.stop(1000));
  return { relay, gw, log };
}

async function send(gw: RunningGateway, subject: string): Promise<string> {
  const info = await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@acme.example', to: ['friend@elsewhere.example'] }, raw: `Subject: ${subject}\r\n\r\nhello\r\n` });
  return /queued as (\w+)/.exec(info.response)![1]!;
}

describe.each(['PLAIN', 'LOGIN', 'CRAM-MD5'] as const)('smarthost with AUTH %s over STARTTLS', (method) => {
  it('delivers, logged in as the configured user, with the relay certificate trusted through tls.ca', async () => {
    const { relay, gw } = await setUp({ method, user: 'acme', pass: 's3cret pass' }, `user: acme, pass: "s3cret pass", method: ${method}, tls: { ca: relay-cert.pem }`);
    await send(gw, `via ${method}`);
    await eventually(() => relay.received.length === 1);
    expect(relay.received[0]).toMatchObject({ user: 'acme', helo: 'gw.test', from: 'penny@acme.example', to: ['friend@elsewhere.example'] });
    expect(relay.received[0]!.data).toMatch(new RegExp(`Subject: via ${method}`));
    expect(relay.logins).toEqual([{ method, user: 'acme' }]);
    await eventually(() => gw.spool.pending().length === 0);
  });

  it('keeps the message deferred (not bounced) when the relay refuses the password, and says why', async () => {
    const { relay, gw, log } = await setUp({ method, user: 'acme', pass: 'right' }, `user: acme, pass: wrong, method: ${method}, tls: { ca: relay-cert.pem }`);
    const id = await send(gw, 'wrong password');
    await eventually(() => gw.spool.whereQueued(id) === 'deferred');
    const record = gw.spool.read('deferred', id)!;
    expect(record).toMatchObject({ attempts: 1, recipients: [{ state: 'pending' }] });
    expect(record.lastError).toMatch(/smarthost 127\.0\.0\.1:\d+: login as acme refused: 535 5\.7\.8/);
    expect(relay.received).toHaveLength(0);
    expect(log.join('')).toMatch(/"event":"delivery".*"outcome":"temporary".*login as acme refused/);
    expect(log.join('')).not.toMatch(/"event":"bounce"/);
    expect(log.join('')).not.toMatch(/wrong/); // the password is never logged
  });
});

describe('TLS toward a smarthost that gets a password', () => {
  it('does not send the password to a certificate it cannot verify: deferred, with a clear log line', async () => {
    const { relay, gw, log } = await setUp({ method: 'PLAIN', user: 'acme', pass: 'pw' }, 'user: acme, pass: pw');
    const id = await send(gw, 'untrusted');
    await eventually(() => gw.spool.whereQueued(id) === 'deferred');
    expect(relay.logins).toEqual([]);
    expect(relay.received).toHaveLength(0);
    const line = log.find((l) => l.includes('"event":"delivery"'))!;
    expect(line).toMatch(/"outcome":"temporary"/);
    expect(line).toMatch(/smarthost 127\.0\.0\.1:\d+: no trusted TLS \(.*certificate.*\): the password was not sent; give the relay's CA as delivery\.smarthost\.tls\.ca/);
  });

  it('does not send the password to a relay without STARTTLS', async () => {
    const { relay, gw } = await setUp({ method: 'PLAIN', user: 'acme', pass: 'pw', starttls: false }, 'user: acme, pass: pw, tls: { ca: relay-cert.pem }');
    const id = await send(gw, 'no starttls');
    await eventually(() => gw.spool.whereQueued(id) === 'deferred');
    expect(relay.logins).toEqual([]);
    expect(gw.spool.read('deferred', id)!.lastError).toMatch(/the password was not sent/);
  });

  it('sends it to an unverified certificate only when told to (rejectUnauthorized: false)', async () => {
    const { relay, gw } = await setUp({ method: 'LOGIN', user: 'acme', pass: 'pw' }, 'user: acme, pass: pw, method: LOGIN, tls: { rejectUnauthorized: false }');
    await send(gw, 'lenient');
    await eventually(() => relay.received.length === 1);
    expect(relay.received[0]!.user).toBe('acme');
  });
});
