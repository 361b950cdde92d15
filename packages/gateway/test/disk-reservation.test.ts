/**
 * Concurrent sessions cannot fill the spool's disk past the free-disk margin. The guard at MAIL
 * FROM looks at the disk and knows nothing of the DATA under way: ten sessions of 15 KB messages
 * (maxSize 20KB) on a 2 MB tmpfs filled it to 0 bytes (102 x 250, 76 x 452, 22 x 451 when
 * writes failed), after which no record could be written. Each message in DATA now holds maxSize
 * of the disk until it is committed or refused, and the guard counts it as used: the client gets
 * 452 (before DATA, or at its end) and the disk keeps half of maxSize free for records.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { startHub, type HubSink } from './hub-sink';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('the disk reservation test mounts a tmpfs and needs root; CI runs as root');
if (!isRoot) console.warn('not root: the disk reservation test (tmpfs spool) is skipped');

const MAX = 20 * 1024;

(isRoot ? describe : describe.skip)('space held for messages in DATA', () => {
  let dir: string;
  let mount: string;
  let hub: HubSink;
  let gw: RunningGateway;
  const lines: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-reserve-'));
    mount = join(dir, 'fs');
    mkdirSync(mount);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0, maxSize: 20KB }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
    hub = await startHub();
    hub.defer.add('tempx@acme.example'); // every message stays in the spool
    gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], spool: join(mount, 'spool'),
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 }, secret: 'disk-reserve-test-secret',
      queue: { scanPeriod: 60_000, resendPeriod: 60_000, abandonTime: 3_600_000, maxBackoff: 60_000 },
    }, createLog('warn', (line) => void lines.push(line), false));
  });
  afterAll(async () => {
    await gw?.stop(1000);
    await hub?.close();
    execFileSync('umount', ['-l', mount]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 452, never 451, to ten sessions filling the disk, and keeps the margin free', async () => {
    const body = `Subject: fill\r\n\r\n${`${'y'.repeat(76)}\r\n`.repeat(15000 / 78)}`;
    const codes: number[] = [];
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true });
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 20; i++) {
        await transport.sendMail({ envelope: { from: 'a@example.net', to: ['bob@acme.example', 'tempx@acme.example'] }, raw: body })
          .then(() => codes.push(250), (err: { responseCode?: number }) => codes.push(err.responseCode ?? 0));
      }
    }));
    expect(codes.filter((c) => c === 250).length).toBeGreaterThan(50);
    expect(codes.filter((c) => c !== 250 && c !== 452)).toEqual([]);
    const fs = statfsSync(mount);
    expect(fs.bavail * fs.bsize).toBeGreaterThanOrEqual(MAX / 2);
    expect(gw.spool.reserved.bytes).toBe(0); // every message in DATA gave its space back
  }, 60_000);
});
