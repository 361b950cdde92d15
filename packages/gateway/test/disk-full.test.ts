/**
 * A full disk loses nothing acknowledged: the spool lives on a small tmpfs (mounted by the test,
 * so it needs root, as CI runs); a disk that fills during DATA gets 451 and the client keeps the
 * message; over the free-disk guard MAIL FROM gets 452 4.3.1; with space again, mail flows.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { freePort } from './free-port';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('the disk-full test mounts a tmpfs and needs root; CI runs as root');
if (!isRoot) console.warn('not root: the disk-full test (tmpfs spool) is skipped');

/** Send one message over a raw session; resolves to every reply line. */
function session(port: number, body: string, fillBeforeData: () => void): Promise<string[]> {
  return new Promise((resolve) => {
    const replies: string[] = [];
    const steps = ['EHLO t.example\r\n', 'MAIL FROM:<a@example.org>\r\n', 'RCPT TO:<b@acme.example>\r\n', 'DATA\r\n', `${body}\r\n.\r\n`, 'QUIT\r\n'];
    const socket = connect(port, '127.0.0.1');
    let buffer = '';
    socket.on('data', (d) => {
      buffer += d.toString();
      let m: RegExpExecArray | null;
      while ((m = /^(\d{3}) [^\n]*\n/m.exec(buffer))) {
        replies.push(m[0].trim());
        buffer = buffer.slice(m.index + m[0].length);
        const next = steps.shift();
        if (next === `${body}\r\n.\r\n`) fillBeforeData();
        if (next) socket.write(next);
      }
    });
    socket.on('close', () => resolve(replies));
    socket.on('error', () => resolve(replies));
  });
}

(isRoot ? describe : describe.skip)('disk full', () => {
  let dir: string;
  let mount: string;
  let gw: RunningGateway;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-full-disk-'));
    mount = join(dir, 'fs');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mount]);
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0, maxSize: 256KB }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], spool: join(mount, 'spool'),
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${await freePort()}`], timeout: 1 }, secret: 'disk-full-test-secret',
      queue: { scanPeriod: 60_000, resendPeriod: 60_000, abandonTime: 3_600_000, maxBackoff: 60_000 },
    }, createLog('error', () => undefined, false));
  });
  afterAll(async () => {
    await gw?.stop(1000);
    execFileSync('umount', ['-l', mount]);
    rmSync(dir, { recursive: true, force: true });
  });

  const send = () => nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: small\r\n\r\nhello\r\n' });
  const fill = (leave: number): void => {
    const fs = statfsSync(mount);
    const free = fs.bavail * fs.bsize;
    writeFileSync(join(mount, 'filler'), Buffer.alloc(Math.max(0, free - leave)));
  };
  const acknowledged: string[] = [];

  it('refuses with 451 when the disk fills during DATA, and keeps what it had acknowledged', async () => {
    const first = await send();
    acknowledged.push(/queued as (\w+)/.exec(first.response)![1]!);
    const body = `Subject: big\r\n\r\n${'0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n'.repeat(2500)}`;
    const replies = await session(gw.addresses[0]!.port, body, () => fill(16 * 1024));
    expect(replies.find((r) => /^(250 2\.0\.0|4\d\d|5\d\d)/.test(r) && !/^250 2\.0\.0 OK/.test(r))).toMatch(/^451 4\.3\.0/);
    for (const id of acknowledged) expect(gw.spool.read(gw.spool.whereQueued(id)!, id)).toMatchObject({ id });
  });

  it('answers 452 4.3.1 at MAIL FROM while the disk is nearly full, and accepts again when there is room', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // the guard looks at the disk once a second
    await expect(send()).rejects.toMatchObject({ responseCode: 452, response: expect.stringMatching(/4\.3\.1/) });
    rmSync(join(mount, 'filler'));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await send()).response).toMatch(/^250 /);
    expect(gw.spool.list('tmp')).toEqual([]);
  });
});
