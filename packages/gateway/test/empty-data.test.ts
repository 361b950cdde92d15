/**
 * An empty DATA (the client sent only ".") still leaves with the gateway's Received line (RFC
 * 5321 4.4: a trace line on every message). Trial 4: it was relayed as no bytes at all.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually, startHub, type HubSink } from './hub-sink';

let dir: string;
let gw: RunningGateway;
let hub: HubSink;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-empty-'));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  hub = await startHub();
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], secret: 'empty-data-test-secret',
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`] },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw.stop(1000);
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

it('gives an empty message its Received line', async () => {
  const d = await openDialog(gw.addresses[0]!.port);
  for (const line of ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<empty@acme.example>', 'DATA']) await d.send(`${line}\r\n`);
  expect(await d.send('.\r\n')).toMatch(/^250 /);
  await d.send('QUIT\r\n');
  await eventually(() => hub.received.some((m) => m.to.includes('empty@acme.example')));
  const { data } = hub.received.find((m) => m.to.includes('empty@acme.example'))!;
  expect(data).toMatch(/^Received: from client\.example\.org \(\[127\.0\.0\.1\]\)\s+by\s+mailward\.localhost\s+\(Mailward\)\s+with\s+ESMTP\s+id\s+\w+;[^\r\n]*(\r\n[ \t][^\r\n]*)*\r\n\r\n$/);
});
