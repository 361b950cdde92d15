/**
 * The quarantine notice is queued with the commit, before the 250. It was queued after the
 * message's commit, in a step whose failure was swallowed: killed (or failing) there, the gateway
 * had acknowledged a quarantined message whose notice was never sent. The step is cut here (the
 * notice's rename into queue/ fails, as a crash or a failing disk at that moment would leave it):
 * the client must not get a 250 without the notice queued.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const fs = require('node:fs') as typeof import('node:fs');

const POLICY = `version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: all
      do: [ accept ]
data:
  rules:
    - id: hold
      when: { header: { name: X-Hold } }
      do: [ { quarantine: { reason: held, notify: [admin@acme.example] } } ]
`;

let dir: string;
let hub: HubSink;
let gw: RunningGateway;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-notice-commit-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 60_000, abandonTime: 600_000, maxBackoff: 60_000 },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = (subject: string) => nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
  .sendMail({ envelope: { from: 'penny@example.org', to: ['bob@acme.example'] }, raw: `Subject: ${subject}\r\nX-Hold: yes\r\n\r\nhello\r\n` });
const notices = (): number => hub.received.filter((m) => m.to.includes('admin@acme.example')).length;

it('gives no 250 for a quarantined message whose notice could not be queued', async () => {
  const queueDir = join(gw.spool.root, 'queue');
  const rename = fs.renameSync;
  const cut = jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
    if (String(to).startsWith(queueDir)) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
    rename(from, to);
  });
  const reply = await send('cut').then(() => 250, (err: { responseCode?: number }) => err.responseCode);
  cut.mockRestore();
  await new Promise((r) => setTimeout(r, 300));
  if (reply === 250) expect(notices()).toBe(1); // acknowledged: its notice must be on its way
  expect(reply).toBeGreaterThanOrEqual(400);
  expect(gw.spool.list('quarantine')).toEqual([]); // not acknowledged: the client sends it again
  expect(readdirSync(join(gw.spool.root, 'tmp'))).toEqual([]);
});

it('queues the notice with the quarantine commit, and sends it', async () => {
  expect((await send('held')).response).toMatch(/^250 /);
  expect(gw.spool.list('quarantine')).toHaveLength(1);
  await eventually(() => notices() === 1);
  const notice = hub.received.find((m) => m.to.includes('admin@acme.example'))!.data;
  expect(notice).toMatch(/Subject: Quarantined: held/);
  // What the rule found is in it, not only its name (trial I: a virus notice did not name the virus).
  expect(notice).toMatch(/\r\n {2}rule: {7}hold\r\n {2}found: {6}header = "X-Hold: yes"\r\n/);
});
