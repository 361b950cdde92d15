import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { freePort } from './free-port';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

/** A gateway with `spoolLimit` whose hub is down, so that what it takes stays queued. */
async function gatewayWith(dir: string, spoolLimit: number, log: (line: string) => void): Promise<RunningGateway> {
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  return startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], spoolLimit,
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${await freePort()}`], timeout: 2 }, secret: 'spool-limit-test-secret',
  }, createLog('info', log, false));
}

/** One message from a new connection: its reply code, as text. */
const sendTo = (gw: RunningGateway): Promise<string> => nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
  .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' })
  .then((info) => info.response.slice(0, 3), (err: { responseCode?: number }) => String(err.responseCode));

describe('a full spool', () => {
  let dir: string;
  let gw: RunningGateway;
  const lines: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-full-'));
    gw = await gatewayWith(dir, 1, (line) => void lines.push(line));
  });
  afterAll(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  const send = () => nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' });

  it('answers 452 4.3.1 at MAIL FROM while over spool_limit, and keeps what it has', async () => {
    const first = await send();
    expect(first.response).toMatch(/^250 /);
    await new Promise((r) => setTimeout(r, 1100)); // the count is refreshed once a second
    await expect(send()).rejects.toMatchObject({ responseCode: 452, response: expect.stringMatching(/4\.3\.1/) });
    expect(gw.spool.pending()).toHaveLength(1);
  });

  it('logs why it refuses, once, and when it accepts again', async () => {
    const events = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => String(e.event).startsWith('spool-'));
    await expect(send()).rejects.toMatchObject({ responseCode: 452 });
    expect(events()).toEqual([expect.objectContaining({ level: 'warn', event: 'spool-full', reason: 'spoolLimit', queued: 1, spoolLimit: 1, reply: '452 4.3.1' })]);
    const [held] = gw.spool.pending();
    gw.spool.remove(held!.area, held!.id);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send()).response).toMatch(/^250 /);
    expect(events().map((e) => e.event)).toEqual(['spool-full', 'spool-accepting']);
  });
});

describe('a burst against spoolLimit', () => {
  let dir: string;
  let gw: RunningGateway;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-burst-'));
    gw = await gatewayWith(dir, 2, () => undefined);
  });
  afterAll(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes no more than spoolLimit messages within the second the count is kept', async () => {
    // Trial 4: four in a row got 250 with spoolLimit 2, the count being a second old.
    const send = () => sendTo(gw);
    const replies: string[] = [];
    for (let i = 0; i < 4; i++) replies.push(await send());
    expect(replies).toEqual(['250', '250', '452', '452']);
    expect(gw.spool.pending()).toHaveLength(2);
  });
});

describe('sessions arriving together against spoolLimit', () => {
  let dir: string;
  let gw: RunningGateway;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-together-'));
    gw = await gatewayWith(dir, 3, () => undefined);
  });
  afterAll(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the messages being received: no more than spoolLimit get 250, the others 452 at DATA', async () => {
    // Trial E: twelve parallel sessions all got 250 with spoolLimit 3; each passed MAIL FROM
    // before any message was queued.
    const send = () => sendTo(gw);
    const replies = await Promise.all(Array.from({ length: 10 }, send));
    expect(replies.filter((r) => r === '250')).toHaveLength(3);
    expect(replies.filter((r) => r === '452')).toHaveLength(7);
    expect(gw.spool.pending()).toHaveLength(3);
  });
});
