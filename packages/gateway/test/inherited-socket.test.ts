/**
 * Listeners on sockets systemd passes (socket activation): `listen: systemd:NAME` under the real
 * `systemd-socket-activate` (Debian's systemd package), which binds the port, waits for the first
 * client and only then starts `mailward serve`; `listen: fd:N` on a socket a parent handed down.
 * The gateway binds nothing itself, delivers the mail, and says clearly what is missing when the
 * socket is not there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { loadGatewayConfig } from '../src/config-load';
import { inheritedFd } from '../src/inherited-socket';
import { freePort } from './free-port';
import { eventually } from './hub-sink';

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'packages/cli/bin/mailward.js');
const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: ours\n      when: { recipient: { domain: acme.example } }\n      do: [ accept ]\n';
const ACTIVATE = ['/usr/bin/systemd-socket-activate', '/bin/systemd-socket-activate'].find((p) => existsSync(p));
if (!ACTIVATE && process.env.CI === 'true') throw new Error('systemd-socket-activate is missing: CI installs Debian\'s systemd package for it (.ci/apt-packages.txt)');
if (!ACTIVATE) console.warn('no systemd-socket-activate here: the socket activation test is skipped (apt-get install systemd)');

let dir: string;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) throw new Error('run `npm run build` first (npm test does it)');
  dir = mkdtempSync(join(tmpdir(), 'mw-inherit-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, listen: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, [
    'policy: policy.yaml', 'hostname: gw.test', 'secret: inherited-socket-test', `spool: spool-${name}`,
    `listeners: [{ listen: "${listen}" }]`, `delivery: { mode: maildir, maildir: mail-${name} }`,
    'queue: { scanPeriod: 0.1 }', 'log: { level: info, format: json }', '',
  ].join('\n'));
  return file;
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  child.kill('SIGTERM');
  return exited;
}

async function sendAndRead(port: number, name: string): Promise<string> {
  const info = await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
    .sendMail({ envelope: { from: 'fred@example.net', to: ['bob@acme.example'] }, raw: `Subject: via ${name}\r\n\r\nhello\r\n` });
  expect(info.response).toMatch(/^250 .*queued as/);
  const box = join(dir, `mail-${name}`, 'bob@acme.example');
  // Written as <id>.eml.part, then renamed: wait for the renamed file, not the one being written.
  await eventually(() => existsSync(box) && readdirSync(box).length === 1 && readdirSync(box)[0]!.endsWith('.eml'));
  return readFileSync(join(box, readdirSync(box)[0]!), 'utf8');
}

(ACTIVATE ? it : it.skip)('listen: systemd:smtp takes the socket systemd-socket-activate bound, started by the first client', async () => {
  const port = await freePort();
  const child = spawn(ACTIVATE!, ['-l', `127.0.0.1:${port}`, '--fdname=smtp', process.execPath, BIN, 'serve', '--config', writeConfig('activated', 'systemd:smtp')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => (stdout += d));
  try {
    await eventually(() => /Listening on/.test(stderr) || child.exitCode !== null, 10_000);
    expect(stdout).toBe(''); // not started yet: systemd-socket-activate waits for a client
    // The client's connection is held in the socket's backlog until the gateway takes it.
    expect(await sendAndRead(port, 'activated')).toMatch(/Subject: via activated/);
    expect(stdout).toContain(`mailward: listening on 127.0.0.1:${port}`);
    expect(stderr).toMatch(new RegExp(`"event":"listening","host":"127.0.0.1","port":${port}.*"inherited":"systemd:smtp"`));
  } finally {
    expect(await stop(child)).toBe(0);
  }
}, 30_000);

it('listen: fd:3 takes a listening socket its parent handed down, and binds nothing itself', async () => {
  const server: Server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
  const child = spawn(process.execPath, [BIN, 'serve', '--config', writeConfig('handed', 'fd:3')], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', fd] });
  // The parent lets go of its copy: only the gateway accepts on the socket now.
  await new Promise((r) => server.close(r));
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  try {
    await eventually(() => /listening on/.test(stdout) || child.exitCode !== null, 15_000);
    expect(stdout).toContain(`mailward: listening on 127.0.0.1:${port}`);
    expect(await sendAndRead(port, 'handed')).toMatch(/Subject: via handed/);
  } finally {
    expect(await stop(child)).toBe(0);
  }
}, 30_000);

describe('a socket that is not there', () => {
  it('stops the start with what to change when no sockets were passed', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--config', writeConfig('none', 'systemd:smtp')], { cwd: dir, encoding: 'utf8', timeout: 15_000, env: { ...process.env, LISTEN_FDS: undefined, LISTEN_PID: undefined } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot start: listen "systemd:smtp": no sockets were passed \(LISTEN_FDS and LISTEN_PID are not set\): start the gateway from a systemd \.socket unit with FileDescriptorName=smtp/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the sockets there are when the name is not one of them, and refuses variables meant for another process', () => {
    expect(() => inheritedFd('systemd:smtp', { LISTEN_PID: String(process.pid), LISTEN_FDS: '2', LISTEN_FDNAMES: 'submission:metrics' })).toThrow(/no passed socket is named smtp \(the names are submission, metrics\): set FileDescriptorName=smtp/);
    expect(() => inheritedFd('systemd:smtp', { LISTEN_PID: '1', LISTEN_FDS: '1', LISTEN_FDNAMES: 'smtp' })).toThrow(/are for process 1, not this one/);
  });

  it('refuses a descriptor that is not a socket', () => {
    const file = openSync(join(dir, 'policy.yaml'), 'r');
    try {
      expect(() => inheritedFd(`fd:${file}`)).toThrow(new RegExp(`file descriptor ${file} is not an open socket`));
    } finally {
      closeSync(file);
    }
  });

  it('gateway.yaml: fd:0 to fd:2 and other shapes are refused at load with file:line:col', () => {
    expect(() => loadGatewayConfig(writeConfig('stdin', 'fd:0'), dir)).toThrow(/stdin\.yaml:5:\d+: \/listeners\/0\/listen: "fd:0" is standard input, output or error, not a passed socket: inherited sockets start at fd:3/);
    expect(() => loadGatewayConfig(writeConfig('shape', 'systemd:'), dir)).toThrow(/"systemd:" is not host:port with a port from 0 to 65535, e\.g\. "0\.0\.0\.0:25", or fd:N \/ systemd:NAME for a socket passed by systemd/);
  });
});
