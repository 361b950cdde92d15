/**
 * The queue scan and the commit of a message being received: while the queue directory's fsync is
 * still running the message is in queue/ but not committed, and must not be delivered (it may yet
 * be refused with 4xx and sent again); once committed it is delivered once, not by both the
 * commit's hand-over and the scan. The disk is made slow by holding the commit's queue fsync back.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, loadGatewayConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';
const SLOW_FSYNC_MS = 400;

let dir: string;
let hub: HubSink;
let gw: RunningGateway;
/** Queue fsyncs still to hold back: the commit's, not those of a delivery that removes the message after. */
let slowFsyncs = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-commit-race-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  writeFileSync(join(dir, 'gateway.yaml'), [
    'policy: policy.yaml', 'hostname: gw.test', 'secret: commit-race-secret', 'spool: spool',
    'listeners: [{ listen: "127.0.0.1:0" }]', `delivery: { mode: smtp, hubs: ["127.0.0.1:${hub.port}"], timeout: 5 }`,
    // Scans far more often than the fsync takes: one runs while each commit waits for it.
    'queue: { scanPeriod: 0.02, resendPeriod: 600, abandonTime: 86400, maxBackoff: 600 }', '',
  ].join('\n'));
  gw = await startGateway(loadGatewayConfig(join(dir, 'gateway.yaml')), createLog('error', () => undefined, false));
  const sync = gw.spool.syncArea.bind(gw.spool);
  gw.spool.syncArea = async (area) => {
    if (area === 'queue' && slowFsyncs > 0) {
      slowFsyncs--;
      await new Promise((r) => setTimeout(r, SLOW_FSYNC_MS));
    }
    return sync(area);
  };
});
afterAll(async () => {
  await gw?.stop(1000);
  await hub?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a message in queue/ whose directory fsync is still running', () => {
  it('is not delivered before its 250, and is delivered exactly once after it', async () => {
    const before = hub.received.length;
    let deliveredBeforeAck = 0;
    slowFsyncs = 1;
    const sent = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'fred@example.net', to: ['bob@acme.example'] }, raw: 'Subject: slow disk\r\nMessage-ID: <slow@example.net>\r\n\r\nhello\r\n' });
    const info = await sent.finally(() => (deliveredBeforeAck = hub.received.length - before));
    expect(info.response).toMatch(/^250 .*queued as/);
    expect(deliveredBeforeAck).toBe(0);
    await eventually(() => hub.received.length > before && gw.spool.pending().length === 0);
    // Several scans pass after it is done: none may deliver it again.
    await new Promise((r) => setTimeout(r, 3 * SLOW_FSYNC_MS));
    expect(hub.received.slice(before).map((m) => m.data.match(/Subject: .*/)?.[0])).toEqual(['Subject: slow disk']);
  });
});
