/**
 * `mailward spool delete` on a message the gateway is delivering at that moment (a hub slow to
 * answer): the message is gone for good when the attempt ends in a 4xx. The retry's record was
 * written back without its message, logged as a delivery-error, then found damaged and moved
 * to corrupt/ with a spool-corrupt error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually } from './hub-sink';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

let dir: string;
let hub: SMTPServer;
let gw: RunningGateway;
const lines: string[] = [];
/** The hub's answer to the RCPT it is holding, once the test gives it. */
let answerRcpt: (() => void) | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-delete-in-delivery-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(_address, _session, cb) {
      answerRcpt = () => cb(Object.assign(new Error('4.2.1 Mailbox busy, try later'), { responseCode: 451 }));
    },
  });
  hub.on('error', () => undefined);
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${(hub.server.address() as AddressInfo).port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 100, abandonTime: 60_000, maxBackoff: 100 },
  }, createLog('info', (line) => void lines.push(line), false));
});
afterAll(async () => {
  await gw.stop(1000);
  await new Promise<void>((r) => hub.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

it('leaves a message deleted during its delivery deleted, not in corrupt/', async () => {
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@example.org', to: ['busy@acme.example'] }, raw: 'Subject: stuck\r\n\r\nhello\r\n' });
  await eventually(() => answerRcpt !== undefined);
  const [id] = gw.spool.list('queue');
  gw.spool.remove('queue', id!); // what `mailward spool delete` does
  answerRcpt!();
  await eventually(() => lines.some((l) => l.includes('"event":"delivery"')));
  await new Promise((r) => setTimeout(r, 300)); // a few scans
  expect(['queue', 'deferred', 'corrupt'].map((area) => gw.spool.list(area as 'queue').length)).toEqual([0, 0, 0]);
  expect(lines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
});
