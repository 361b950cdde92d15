/**
 * `drop` accepts and discards (Firebox's "drop"): the client is told what any accepted message
 * gets, so a sender cannot learn that its mail went nowhere; the hub gets nothing.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';

const POLICY = `version: 1
smtp: { greetPause: 0 }
rcpt: { rules: [ { id: all, do: [ accept ] } ] }
data:
  rules:
    - id: discard
      when: { header: { name: Subject, value: "*discard*" } }
      do: [ drop ]
`;

let dir: string;
let hub: HubSink;
let gw: RunningGateway;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-drop-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 100, abandonTime: 60_000, maxBackoff: 100 },
  }, createLog('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>), false));
});
afterAll(async () => {
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

it('answers a dropped message as an accepted one, logs it as dropped, and delivers nothing', async () => {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true });
  const send = (subject: string) => t.sendMail({ envelope: { from: 'penny@example.org', to: ['bob@acme.example'] }, raw: `Subject: ${subject}\r\n\r\nhello\r\n` });
  const dropped = await send('please discard');
  const kept = await send('keep');
  t.close();
  expect(dropped.response).toMatch(/^250 2\.0\.0 Message accepted: queued as \w+$/);
  expect(kept.response).toMatch(/^250 2\.0\.0 Message accepted: queued as \w+$/);
  await eventually(() => hub.received.length === 1);
  expect(hub.received[0]!.data).toMatch(/Subject: keep/);
  const id = /queued as (\w+)/.exec(dropped.response)![1];
  expect(lines.find((l) => l.event === 'queued' && l.id === id)).toMatchObject({ verdict: 'drop' });
  expect(gw.spool.pending()).toEqual([]);
});
