/**
 * A hub failed over is logged when it happens (helper trial 37: with hubs [hub1, hub2] and hub1
 * down, the message went through hub2 and no line said hub1 had refused the connection): a
 * `failover` warning names the hop, its error and the hop tried next, and the `delivery` line
 * names the hops that failed before the one that answered.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually, startHub, type HubSink } from './hub-sink';

let dir: string;
let gw: RunningGateway;
let hub2: HubSink;
let down: string; // hub1: started on port 0, then closed
const lines: Record<string, unknown>[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-failover-'));
  const hub1 = await startHub();
  down = `127.0.0.1:${hub1.port}`;
  await hub1.close();
  hub2 = await startHub();
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [down, `127.0.0.1:${hub2.port}`], timeout: 5 },
  }, createLog('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>), false));
});
afterAll(async () => {
  await gw?.stop(1000);
  await hub2?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('logs the hub that refused the connection, and the hub tried next, when the next one delivers', async () => {
  const d = await openDialog(gw.addresses[0]!.port);
  try {
    await d.send('EHLO client.test\r\n');
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<b@acme.example>\r\n')).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send('Subject: failover\r\n\r\nhi\r\n.\r\n')).toMatch(/^250/);
    await d.send('QUIT\r\n');
  } finally {
    d.close();
  }
  await eventually(() => lines.some((l) => l.event === 'delivery'));
  expect(hub2.received).toHaveLength(1);
  const queued = lines.find((l) => l.event === 'queued')!;
  const failover = lines.filter((l) => l.event === 'failover');
  expect(failover).toEqual([expect.objectContaining({
    level: 'warn', id: queued.id, recipients: ['b@acme.example'],
    hop: down, error: expect.stringMatching(/connect ECONNREFUSED/), next: `127.0.0.1:${hub2.port}`,
  })]);
  expect(lines.indexOf(failover[0]!)).toBeLessThan(lines.findIndex((l) => l.event === 'delivery'));
  expect(lines.find((l) => l.event === 'delivery')).toMatchObject({
    outcome: 'delivered', recipient: 'b@acme.example',
    detail: expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${hub2.port} 250`)),
    failedOver: [expect.stringMatching(new RegExp(`^${down.replace(/\./g, '\\.')}: connect ECONNREFUSED`))],
  });
});
