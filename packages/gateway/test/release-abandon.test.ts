/**
 * A message released from quarantine gets the whole abandonTime from its release: held longer
 * than abandonTime (30 days of retention against 5 days in the defaults), it would otherwise be
 * bounced at the hub's first 4xx instead of retried.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, releaseFromQuarantine, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';

const POLICY = `version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: all
      do: [ accept ]
data:
  rules:
    - id: hold
      when: { header: { name: Subject, value: "*hold*" } }
      do: [ { quarantine: { reason: held for review } } ]
`;

let dir: string;
let hub: HubSink;
let gw: RunningGateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-release-abandon-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 100, abandonTime: 1000, maxBackoff: 100 },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

it('retries a message released after abandonTime instead of bouncing it at the first 4xx', async () => {
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@example.org', to: ['busy@acme.example'] }, raw: 'Subject: hold me\r\n\r\nhello\r\n' });
  await eventually(() => gw.spool.list('quarantine').length === 1);
  await new Promise((r) => setTimeout(r, 1200)); // held for longer than abandonTime
  hub.defer.add('busy@acme.example');
  releaseFromQuarantine(gw.spool, gw.spool.list('quarantine')[0]!, 'admin');
  await eventually(() => gw.spool.list('deferred').length === 1);
  await new Promise((r) => setTimeout(r, 400)); // a few more attempts, each answered 451
  expect(hub.received).toEqual([]); // no DSN
  hub.defer.delete('busy@acme.example');
  await eventually(() => hub.received.length > 0);
  expect(hub.received.map((r) => r.to)).toEqual([['busy@acme.example']]);
  expect(hub.received[0]!.data).toMatch(/\r\nX-Mailward-Released: /);
});
