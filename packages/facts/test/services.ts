/**
 * Starts the real services the fact tests use (clamd, spamd, redis-server) on free loopback
 * ports in a temp folder, and stops them. A missing binary skips locally with a plain reason;
 * under CI=true it fails, so a green CI never hides a suite that did not run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
export const CLAM_EXE = '/usr/share/clamav-testfiles/clam.exe';

export interface Service {
  port: number;
  dir: string;
  /** The service's process, to pause it (SIGSTOP: a server that hangs). */
  pid: number;
  stop(): Promise<void>;
}

/** Whether a service can run here; under CI a missing one throws instead of skipping. */
export function available(binary: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;
  if (!found && process.env.CI === 'true') throw new Error(`${binary} is not installed; CI must install it (.ci/apt-packages.txt)`);
  if (!found) console.warn(`${binary} is not installed here: its tests are skipped (apt-get install it to run them)`);
  return found;
}

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Wait until `probe` answers true, or fail with the service's own output. */
async function waitFor(name: string, child: ChildProcess, probe: () => Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${log()}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start within ${timeoutMs} ms: ${log()}`);
}

function ask(port: number, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.end(request);
  });
}

/** Stops a service the tests started (TERM, then KILL after 5 s) and removes its folder. */
export function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      const done = (): void => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', done);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
}

function spawnLogged(cmd: string, args: string[], dir: string): { child: ChildProcess; log: () => string } {
  let output = '';
  const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => (output += d.toString()));
  child.stderr?.on('data', (d) => (output += d.toString()));
  return { child, log: () => output.slice(-2000) };
}

/** clamd with a tiny offline database: EICAR and the hash of clamav-testfiles' clam.exe. */
export async function startClamd(streamMaxLength = '10M'): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-clamd-'));
  const db = join(dir, 'db');
  mkdirSync(db);
  writeFileSync(join(db, 'test.ndb'), `Mailward.Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`);
  if (existsSync(CLAM_EXE)) {
    const exe = readFileSync(CLAM_EXE);
    writeFileSync(join(db, 'test.hdb'), `${createHash('md5').update(exe).digest('hex')}:${exe.length}:Mailward.Test.ClamExe\n`);
  }
  const port = await freePort();
  writeFileSync(join(dir, 'clamd.conf'), [
    'Foreground yes', `DatabaseDirectory ${db}`, `TCPSocket ${port}`, 'TCPAddr 127.0.0.1',
    `StreamMaxLength ${streamMaxLength}`, 'LogVerbose no', `PidFile ${join(dir, 'clamd.pid')}`, 'User root', '',
  ].join('\n'));
  const { child, log } = spawnLogged('clamd', ['--config-file', join(dir, 'clamd.conf')], dir);
  await waitFor('clamd', child, async () => (await ask(port, 'zPING\0')).startsWith('PONG'), 60_000, log);
  return { port, dir, pid: child.pid!, stop: stopper(child, dir) };
}

/** spamd with Debian's rules, no user config, on a free port. */
export async function startSpamd(): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-spamd-'));
  const port = await freePort();
  const { child, log } = spawnLogged('spamd', [
    '-L', `--listen=127.0.0.1:${port}`, '--max-children=2', '--min-children=1', '--nouser-config',
    '-H', dir, '-u', 'nobody', `--pidfile=${join(dir, 'spamd.pid')}`,
  ], dir);
  spawnSync('chmod', ['777', dir]);
  await waitFor('spamd', child, async () => (await ask(port, 'PING SPAMC/1.5\r\n\r\n')).includes('PONG'), 120_000, log);
  return { port, dir, pid: child.pid!, stop: stopper(child, dir) };
}

/** redis-server with no persistence on a free port. */
export async function startRedis(): Promise<Service> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-redis-'));
  const port = await freePort();
  const { child, log } = spawnLogged('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], dir);
  await waitFor('redis-server', child, async () => (await ask(port, 'PING\r\nQUIT\r\n')).includes('PONG'), 20_000, log);
  return { port, dir, pid: child.pid!, stop: stopper(child, dir) };
}
