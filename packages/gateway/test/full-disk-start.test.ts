/**
 * The gateway starts on a spool whose disk is full, and delivering the queue frees it. The lock
 * was written as a file (its draft's text needs a block): `cannot start: ENOSPC: no space left on
 * device, write`, no file named, and a zero-byte `lock.PID` left by each try. On a full disk the
 * lock is now a symbolic link to the pid (no data block); MAIL FROM gets 452 until there is room.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type GatewayConfig } from '../src/index';
import { freePort } from './free-port';
import { startHub } from './hub-sink';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('the full-disk start test mounts a tmpfs and needs root; CI runs as root');
if (!isRoot) console.warn('not root: the full-disk start test (tmpfs spool) is skipped');

const quiet = createLog('error', () => undefined, false);

/** Write filler until the file system has no byte left. */
function fill(file: string): void {
  for (const size of [1 << 20, 64 << 10, 4 << 10, 512, 1]) {
    try {
      for (;;) appendFileSync(file, Buffer.alloc(size));
    } catch {
      // full at this size: go on with smaller writes
    }
  }
}

(isRoot ? describe : describe.skip)('a full spool disk at start', () => {
  let dir: string;
  let mount: string;
  const mountTmpfs = (options: string): void => {
    dir = mkdtempSync(join(tmpdir(), 'mw-full-start-'));
    mount = join(dir, 'fs');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', mount]);
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0, maxSize: 64KB }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  };
  const config = (hubPort: number): GatewayConfig => ({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], spool: join(mount, 'spool'),
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hubPort}`], timeout: 2 },
    queue: { scanPeriod: 60_000, resendPeriod: 60_000, abandonTime: 3_600_000, maxBackoff: 60_000 },
  });
  afterEach(() => {
    execFileSync('umount', ['-l', mount]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, refuses new mail with 452, and delivers the queue, which frees the disk', async () => {
    mountTmpfs('size=2m');
    const hubPort = await freePort();
    const first = await startGateway(config(hubPort), quiet); // the hub is down: the mail stays queued
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: first.addresses[0]!.port, ignoreTLS: true });
    try {
      for (let i = 0; i < 3; i++) await transport.sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: `Subject: ${i}\r\n\r\n${`${'x'.repeat(78)}\r\n`.repeat(500)}` });
      await first.dequeuer.runOnce(true);
    } finally {
      await first.stop(1000);
    }
    fill(join(mount, 'spool', 'corrupt', 'filler'));
    expect(statfsSync(mount).bavail).toBe(0);

    const hub = await startHub(hubPort);
    const gw = await startGateway(config(hubPort), quiet);
    try {
      const lock = join(mount, 'spool', 'lock');
      expect(lstatSync(lock).isSymbolicLink()).toBe(true);
      expect(readlinkSync(lock)).toBe(String(process.pid));
      expect(readdirSync(join(mount, 'spool')).filter((f) => f.startsWith('lock'))).toEqual(['lock']);
      const client = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true });
      await expect(client.sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: new\r\n\r\nhi\r\n' }))
        .rejects.toMatchObject({ responseCode: 452 });
      await gw.dequeuer.runOnce(true);
      expect(hub.received).toHaveLength(3);
      expect(gw.spool.pending()).toEqual([]);
      expect(statfsSync(mount).bavail).toBeGreaterThan(0);
    } finally {
      await gw.stop(1000);
      await hub.close();
    }
    expect(readdirSync(join(mount, 'spool')).filter((f) => f.startsWith('lock'))).toEqual([]);
  }, 30_000);

  it('names the lock when even it cannot be made (no inode left), and leaves no draft', async () => {
    mountTmpfs('size=2m,nr_inodes=16');
    const gw = await startGateway(config(await freePort()), quiet);
    await gw.stop(1000);
    const spare = join(mount, 'spool', 'corrupt');
    try {
      for (let i = 0; ; i++) writeFileSync(join(spare, `filler${i}`), '');
    } catch {
      // no inode left
    }
    await expect(startGateway(config(await freePort()), quiet)).rejects.toThrow(/cannot take the spool lock .*spool\/lock: ENOSPC.*free space \(or inodes\)/);
    expect(readdirSync(join(mount, 'spool')).filter((f) => f.startsWith('lock'))).toEqual([]);
  });
});
