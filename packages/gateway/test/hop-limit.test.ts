/**
 * A message with more than 50 Received fields is a mail loop (RFC 5321 6.3) and is refused at
 * the end of DATA. Trial 4: a hub that was the gateway's own listener queued one message 871
 * times in 10 s, for ever.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { freePort } from './free-port';
import { eventually } from './hub-sink';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';
const received = (n: number): string => Array.from({ length: n }, (_, i) => `Received: from hop${i}.example.org by hop${i + 1}.example.org; Tue, 1 Dec 2026 10:00:00 +0000\r\n`).join('');

describe('the hop limit', () => {
  let dir: string;
  let gw: RunningGateway;
  const events: Record<string, unknown>[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-hops-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    // The hub is the gateway itself: every delivery comes back as a new message.
    const port = await freePort();
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: `127.0.0.1:${port}` }],
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${port}`], timeout: 2 }, secret: 'hop-limit-test-secret',
      queue: { scanPeriod: 50, resendPeriod: 600_000, abandonTime: 86_400_000, maxBackoff: 600_000 },
    }, createLog('info', (line) => void events.push(JSON.parse(line) as Record<string, unknown>), false));
  });
  afterAll(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (raw: string) => nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw });
  const refusals = () => events.filter((e) => e.event === 'error' && /5\.4\.6 Too many hops/.test(String(e.error)));

  it('refuses a message that already has 51 Received fields, and queues nothing', async () => {
    const queued = gw.spool.pending().length;
    // Permanent: the sender bounces it, instead of trying the loop again.
    await expect(send(`${received(51)}Subject: loop\r\n\r\nbody\r\n`)).rejects.toMatchObject({ responseCode: 554, response: expect.stringMatching(/^554 5\.4\.6 Too many hops/) });
    expect(refusals()).toEqual([expect.objectContaining({ error: '5.4.6 Too many hops (51 Received fields, at most 50): a mail loop' })]);
    expect(gw.spool.pending()).toHaveLength(queued);
  });

  it('stops a loop through a hub that is the gateway itself after 50 passes', async () => {
    const before = refusals().length;
    const passes = () => events.filter((e) => e.event === 'queued').length;
    expect((await send('Subject: round and round\r\n\r\nbody\r\n')).response).toMatch(/^250 /);
    // Refused with 554 at the 51st pass, the message bounces: the DSN goes round the same loop
    // once (it starts with no Received field of its own), is refused too, and no DSN answers a DSN.
    await eventually(() => refusals().length >= before + 2, 25_000);
    const count = passes();
    await new Promise((r) => setTimeout(r, 1000));
    expect(passes()).toBe(count); // it does not go on
    expect(count).toBeLessThanOrEqual(2 * 51);
    expect(refusals()[before]).toMatchObject({ error: expect.stringMatching(/\(51 Received fields/) });
  }, 40_000);
});
