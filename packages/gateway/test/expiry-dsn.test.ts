/**
 * A recipient the hub keeps answering 4xx is bounced at abandonTime with a DSN that names the hub
 * (Remote-MTA, RFC 3464 2.3.5) and carries its last reply; one no hub ever answered names none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

let dir: string;
let hub: HubSink;
let gw: RunningGateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-expiry-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 100, abandonTime: 800, maxBackoff: 200 },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

it('bounces a recipient the hub deferred until abandonTime, naming the hub and its last reply', async () => {
  hub.defer.add('busy@acme.example');
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@example.org', to: ['busy@acme.example'] }, raw: 'Subject: later\r\n\r\nhello\r\n' });
  await eventually(() => hub.received.some((r) => r.from === ''));
  const dsn = hub.received.find((r) => r.from === '')!;
  expect(dsn.to).toEqual(['penny@example.org']);
  expect(dsn.data).toMatch(/Final-Recipient: rfc822; busy@acme\.example\r\nAction: failed\r\nStatus: 4\.4\.7\r\nRemote-MTA: dns; 127\.0\.0\.1\r\nDiagnostic-Code: smtp; 451 4\.2\.1 Mailbox busy, try later\r\n/);
  await eventually(() => gw.spool.pending().length === 0);
});

it('makes its last attempt at abandonTime, not a whole resend period after it', async () => {
  const own = mkdtempSync(join(tmpdir(), 'mw-expiry-last-'));
  writeFileSync(join(own, 'policy.yaml'), POLICY);
  // The first retry would come after ten minutes; the abandon time is 1.5 s.
  const late = await startGateway({
    ...defaultConfig(own), policy: join(own, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 600_000, abandonTime: 1500, maxBackoff: 600_000 },
  }, createLog('error', () => undefined, false));
  try {
    hub.defer.add('slow@acme.example');
    const before = hub.received.length;
    await nodemailer.createTransport({ host: '127.0.0.1', port: late.addresses[0]!.port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'penny@example.org', to: ['slow@acme.example'] }, raw: 'Subject: last\r\n\r\nhello\r\n' });
    await eventually(() => late.spool.pending().some((p) => p.area === 'deferred'));
    const [waiting] = late.spool.pending();
    const record = late.spool.read(waiting!.area, waiting!.id)!;
    expect(record.nextAttempt).toBe(record.createdAt + 1500);
    await eventually(() => hub.received.slice(before).some((r) => r.from === '' && /slow@acme\.example/.test(r.data)));
    await eventually(() => late.spool.pending().length === 0);
  } finally {
    await late.stop(1000);
    rmSync(own, { recursive: true, force: true });
  }
});
