/**
 * A delivery whose outcome cannot be written (a full disk: every record write ENOSPC) is not
 * delivered again. The record on disk still said every recipient was pending, so each retry of
 * the one the hub deferred sent the message again to the one it had taken: 11 copies in 55 s on
 * a full tmpfs (helper-35's trial). The outcome is now kept in memory and only written again.
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
  dir = mkdtempSync(join(tmpdir(), 'mw-unrecorded-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  hub.defer.add('tempx@acme.example');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 100, abandonTime: 600_000, maxBackoff: 100 },
  }, createLog('info', (line) => void lines.push(line), false));
});
afterAll(async () => {
  jest.restoreAllMocks();
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

const noSpace = (): Error => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
const toBob = (): number => hub.received.filter((m) => m.to.includes('bob@acme.example')).length;

it('does not send the message again to a recipient the hub took while the record cannot be written', async () => {
  const write = jest.spyOn(gw.spool, 'persistRecord').mockRejectedValue(noSpace());
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@example.org', to: ['bob@acme.example', 'tempx@acme.example'] }, raw: 'Subject: once\r\n\r\nhello\r\n' });
  await eventually(() => write.mock.calls.length >= 4); // the first attempt, then three tries of its record alone
  expect(toBob()).toBe(1);
  const triesOfTempx = (): number => lines.filter((l) => l.includes('"event":"delivery"') && l.includes('tempx@')).length;
  expect(triesOfTempx()).toBe(1); // while its record cannot be written, not even tempx is tried again
  expect(lines.filter((l) => l.includes('"delivery-error"')).length).toBeGreaterThanOrEqual(4);

  write.mockRestore();
  await eventually(() => triesOfTempx() >= 3); // written now: tempx is retried, bob never again
  expect(toBob()).toBe(1);
  const [id] = gw.spool.list('deferred');
  expect(gw.spool.read('deferred', id!)!.recipients).toEqual([
    expect.objectContaining({ address: 'bob@acme.example', state: 'delivered' }),
    expect.objectContaining({ address: 'tempx@acme.example', state: 'pending' }),
  ]);
});

it('queues the bounce of a refused recipient once, when its record is written later', async () => {
  hub.refuse.add('gone@acme.example');
  const write = jest.spyOn(gw.spool, 'persistRecord').mockRejectedValue(noSpace());
  const before = hub.received.length;
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'penny@example.org', to: ['gone@acme.example', 'tempx@acme.example'] }, raw: 'Subject: bounce once\r\n\r\nhello\r\n' });
  await eventually(() => write.mock.calls.length >= 3);
  write.mockRestore();
  await eventually(() => hub.received.filter((m) => m.to.includes('penny@example.org')).length >= 1);
  await new Promise((r) => setTimeout(r, 500));
  expect(hub.received.slice(before).filter((m) => m.to.includes('penny@example.org'))).toHaveLength(1);
});
