/**
 * One gateway per spool: a second `mailward serve` on a spool in use stops before its start-up
 * clean-up, which would remove the running one's DATA in progress; a crashed one's lock is taken over.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { removeStale } from '../src/spool/spool-lock';
import { eventually } from './hub-sink';

const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

let dir: string;
let gw: RunningGateway | undefined;
const config = () => ({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }] });
const quiet = createLog('error', () => undefined, false);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-spool-lock-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
});
afterEach(async () => {
  await gw?.stop(1000);
  gw = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it('refuses a second gateway on a spool in use, and leaves the first one\'s DATA in progress alone', async () => {
  gw = await startGateway(config(), quiet);
  const receiving = join(gw.spool.root, 'tmp', 'LIVE.eml');
  writeFileSync(receiving, 'Subject: being received\r\n');
  await expect(startGateway(config(), quiet)).rejects.toMatchObject({ code: 'MW_SPOOL_IN_USE', message: expect.stringContaining(`in use by process ${process.pid}`) });
  expect(existsSync(receiving)).toBe(true);
});

it('lets the next gateway start once the first has stopped', async () => {
  gw = await startGateway(config(), quiet);
  const root = gw.spool.root;
  await gw.stop(1000);
  expect(existsSync(join(root, 'lock'))).toBe(false);
  gw = await startGateway(config(), quiet);
  expect(readFileSync(join(root, 'lock'), 'utf8').trim()).toBe(String(process.pid));
});

it('takes over the lock of a gateway that died (kill -9 leaves it behind)', async () => {
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
  const first = await startGateway(config(), quiet);
  const root = first.spool.root;
  await first.stop(1000);
  writeFileSync(join(root, 'lock'), `${dead}\n`);
  gw = await startGateway(config(), quiet);
  expect(readFileSync(join(root, 'lock'), 'utf8').trim()).toBe(String(process.pid));
});

it('takes over the lock of a gateway killed and not yet reaped by its parent (a zombie answers kill 0)', async () => {
  // The shell starts a child, then becomes a `sleep` that never waits for it: killed, the child stays a zombie.
  const parent = spawn('sh', ['-c', 'sleep 60 & echo $!; exec sleep 60'], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const pid = Number(await new Promise<string>((r) => parent.stdout.once('data', (d: Buffer) => r(d.toString()))));
    await eventually(() => readFileSync(`/proc/${parent.pid}/comm`, 'utf8').trim() === 'sleep'); // the shell, which would reap it, is gone
    process.kill(pid, 'SIGKILL');
    await eventually(() => /\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')));
    const first = await startGateway(config(), quiet);
    const root = first.spool.root;
    await first.stop(1000);
    writeFileSync(join(root, 'lock'), `${pid}\n`);
    gw = await startGateway(config(), quiet);
    expect(readFileSync(join(root, 'lock'), 'utf8').trim()).toBe(String(process.pid));
  } finally {
    parent.kill('SIGKILL');
  }
});

it('takes over a lock naming its own pid that it did not take (pid 1 in a container, restarted)', async () => {
  const first = await startGateway(config(), quiet);
  const root = first.spool.root;
  await first.stop(1000);
  writeFileSync(join(root, 'lock'), `${process.pid}\n`); // left by the previous run, which had this pid too
  gw = await startGateway(config(), quiet);
  expect(readFileSync(join(root, 'lock'), 'utf8').trim()).toBe(String(process.pid));
  await expect(startGateway(config(), quiet)).rejects.toMatchObject({ code: 'MW_SPOOL_IN_USE' });
});

it('takes over a lock written before the machine booted, whatever runs under its pid now', async () => {
  const first = await startGateway(config(), quiet);
  const root = first.spool.root;
  await first.stop(1000);
  writeFileSync(join(root, 'lock'), '1\n'); // pid 1 always runs
  utimesSync(join(root, 'lock'), new Date(0), new Date(0));
  gw = await startGateway(config(), quiet);
  expect(readFileSync(join(root, 'lock'), 'utf8').trim()).toBe(String(process.pid));
});

it('still refuses a lock of a running process written since the boot', async () => {
  const first = await startGateway(config(), quiet);
  const root = first.spool.root;
  await first.stop(1000);
  writeFileSync(join(root, 'lock'), '1\n');
  await expect(startGateway(config(), quiet)).rejects.toMatchObject({ code: 'MW_SPOOL_IN_USE', message: expect.stringContaining('in use by process 1 ') });
});

it('gives the spool back when the start fails (a port in use)', async () => {
  gw = await startGateway(config(), quiet);
  const taken = gw.addresses[0]!.port;
  const other = mkdtempSync(join(tmpdir(), 'mw-spool-lock-other-'));
  try {
    const second = { ...config(), spool: join(other, 'spool'), listeners: [{ listen: `127.0.0.1:${taken}` }] };
    await expect(startGateway(second, quiet)).rejects.toThrow(/EADDRINUSE/);
    expect(existsSync(join(other, 'spool', 'lock'))).toBe(false);
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

it('removes only the stale lock it judged: a lock another gateway took over meanwhile stays', () => {
  const lock = join(dir, 'lock');
  writeFileSync(lock, '999999\n');
  const stale = { ino: statSync(lock).ino, text: '999999\n' };
  // Another gateway starting at the same moment judged it stale too, and was quicker (its new
  // lock may well get the inode just freed).
  rmSync(lock);
  writeFileSync(join(dir, 'other'), '4242\n');
  renameSync(join(dir, 'other'), lock);
  removeStale(lock, stale);
  expect(readFileSync(lock, 'utf8')).toBe('4242\n');
  removeStale(lock, { ino: statSync(lock).ino, text: '4242\n' });
  expect(existsSync(lock)).toBe(false);
  expect(readdirSync(dir).filter((f) => f.startsWith('lock'))).toEqual([]);
});

it('leaves no draft or moved-aside file in the spool after taking and giving back the lock', async () => {
  const first = await startGateway(config(), quiet);
  const root = first.spool.root;
  await first.stop(1000);
  writeFileSync(join(root, 'lock'), '999999\n'); // stale
  gw = await startGateway(config(), quiet);
  expect(readdirSync(root).filter((f) => f.startsWith('lock'))).toEqual(['lock']);
});
