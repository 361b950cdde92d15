/**
 * Which 4xx answers of a hub fail over (trial B): a 4xx at the end of DATA refuses the whole
 * transaction for now, so the next hub is tried at once (as a hub that cannot be reached); a 4xx
 * to one recipient at RCPT is that recipient's answer and stands (retried later, not sent on).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually, startHub, type HubSink } from './hub-sink';

let dir: string;
let gw: RunningGateway;
let busy: HubSink;
let next: HubSink;
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-hub-busy-'));
  busy = await startHub();
  next = await startHub();
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${busy.port}`, `127.0.0.1:${next.port}`], timeout: 5 },
  }, createLog('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>), false));
});
afterAll(async () => {
  await gw?.stop(1000);
  await busy?.close();
  await next?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function send(to: string, subject: string): Promise<void> {
  const d = await openDialog(gw.addresses[0]!.port);
  try {
    await d.send('EHLO client.test\r\n');
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    expect(await d.send(`RCPT TO:<${to}>\r\n`)).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send(`Subject: ${subject}\r\n\r\nhi\r\n.\r\n`)).toMatch(/^250/);
    await d.send('QUIT\r\n');
  } finally {
    d.close();
  }
}

const deliveries = (to: string) => lines.filter((l) => l.event === 'delivery' && l.recipient === to);

it('tries the next hub when the first answers 451 at the end of DATA', async () => {
  busy.deferData = true;
  try {
    await send('b@acme.example', 'busy at data');
    await eventually(() => deliveries('b@acme.example').length > 0);
  } finally {
    busy.deferData = false;
  }
  expect(busy.received).toHaveLength(0);
  expect(next.received.map((r) => r.to)).toEqual([['b@acme.example']]);
  expect(lines.filter((l) => l.event === 'failover')).toEqual([expect.objectContaining({ hop: `127.0.0.1:${busy.port}`, error: expect.stringMatching(/451 4\.3\.0 Hub busy/), next: `127.0.0.1:${next.port}` })]);
  expect(deliveries('b@acme.example')[0]).toMatchObject({ outcome: 'delivered', failedOver: [expect.stringMatching(/451 4\.3\.0/)] });
});

it('keeps a recipient the first hub answers 451 at RCPT for that hub: temporary, not sent to the next', async () => {
  busy.defer.add('later@acme.example');
  const before = next.received.length;
  await send('later@acme.example', 'busy at rcpt');
  await eventually(() => deliveries('later@acme.example').length > 0);
  expect(deliveries('later@acme.example')[0]).toMatchObject({ outcome: 'temporary', hop: `127.0.0.1:${busy.port}`, detail: expect.stringMatching(/451 4\.2\.1/) });
  expect(next.received.length).toBe(before);
});
