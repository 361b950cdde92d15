/**
 * A spool that turns read-only (or fails) under a running gateway: the hub takes a message, but
 * the delivery cannot be recorded. The message was delivered again at every scan (2 s), ten
 * copies in 25 s on a tmpfs remounted read-only. Now the outcome is kept in memory: the message
 * is not delivered again at all, and after resendPeriod (or a flush) only its record is written
 * (here: removed) again; a restart meanwhile would deliver it once more.
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
const lines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-record-failure-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 60_000, abandonTime: 600_000, maxBackoff: 60_000 },
  }, createLog('error', (line) => void lines.push(line), false));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

it('does not send a delivered message again at every scan while its record cannot be removed', async () => {
  const removal = jest.spyOn(gw.spool, 'removeDurably').mockRejectedValue(Object.assign(new Error('EROFS: read-only file system, unlink'), { code: 'EROFS' }));
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@example.org', to: ['bob@acme.example'] }, raw: 'Subject: once\r\n\r\nhello\r\n' });
  await eventually(() => lines.some((l) => l.includes('"delivery-error"')));
  await new Promise((r) => setTimeout(r, 600)); // a dozen scans
  expect(hub.received).toHaveLength(1);
  expect(JSON.parse(lines[0]!)).toMatchObject({ event: 'delivery-error', retry: expect.any(String) });
  removal.mockRestore();
  await gw.dequeuer.runOnce(true); // spool flush: the admin's word overrides the wait
  expect(hub.received).toHaveLength(1); // the outcome was known: only the removal was done again
  expect(gw.spool.pending()).toEqual([]);
});
