import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { freePort } from './free-port';

describe('a full spool', () => {
  let dir: string;
  let gw: RunningGateway;
  const lines: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-full-'));
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
    const deadHub = await freePort();
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], spoolLimit: 1,
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${deadHub}`], timeout: 2 }, secret: 'spool-limit-test-secret',
    }, createLog('info', (line) => void lines.push(line), false));
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
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], spoolLimit: 2,
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${await freePort()}`], timeout: 2 }, secret: 'spool-burst-test-secret',
    }, createLog('error', () => undefined, false));
  });
  afterAll(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes no more than spoolLimit messages within the second the count is kept', async () => {
    // Trial 4: four in a row got 250 with spoolLimit 2, the count being a second old.
    const send = () => nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' })
      .then((info) => info.response.slice(0, 3), (err: { responseCode?: number }) => String(err.responseCode));
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
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], spoolLimit: 3,
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${await freePort()}`], timeout: 2 }, secret: 'spool-together-test-secret',
    }, createLog('error', () => undefined, false));
  });
  afterAll(async () => {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the messages being received: no more than spoolLimit get 250, the others 452 at DATA', async () => {
    // Trial E: twelve parallel sessions all got 250 with spoolLimit 3; each passed MAIL FROM
    // before any message was queued.
    const send = () => nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: x\r\n\r\ny\r\n' })
      .then((info) => info.response.slice(0, 3), (err: { responseCode?: number }) => String(err.responseCode));
    const replies = await Promise.all(Array.from({ length: 10 }, send));
    expect(replies.filter((r) => r === '250')).toHaveLength(3);
    expect(replies.filter((r) => r === '452')).toHaveLength(7);
    expect(gw.spool.pending()).toHaveLength(3);
  });
});
