/**
 * `mailward serve` started as root with `user: nobody`: after binding it runs as that user, the
 * spool is handed to it (mode 0700), and mail is still accepted and delivered. A client that
 * connects while the listeners are still being bound is served only after the drop. A user that
 * does not exist stops the start with one clear line. Root only; under CI=true not being root fails.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { eventually } from './hub-sink';

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'packages/cli/bin/mailward.js');
const USER = 'nobody';
const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: ours\n      when: { recipient: { domain: acme.example } }\n      do: [ accept ]\n';

/** uid and gid of `user`, or undefined when there is no such user. */
function idsOf(user: string): { uid: number; gid: number } | undefined {
  try {
    const ask = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: ask('-u'), gid: ask('-g') };
  } catch {
    return undefined;
  }
}

const isRoot = process.getuid?.() === 0;
const ids = idsOf(USER);
if (!isRoot && process.env.CI === 'true') throw new Error('the privilege drop test must run as root under CI (it starts mailward serve as root)');
if (isRoot && !ids && process.env.CI === 'true') throw new Error(`user ${USER} does not exist: CI needs it for the privilege drop test`);
if (!isRoot) console.warn('not root: the privilege drop test of mailward serve is skipped (run it as root)');
else if (!ids) console.warn(`no user ${USER} here: the privilege drop test is skipped`);

(isRoot && ids ? describe : describe.skip)('mailward serve as root with user: nobody', () => {
  let dir: string;
  let child: ChildProcess;
  let port = 0;
  let stderr = '';

  const writeConfig = (user: string): string => {
    const file = join(dir, `gateway-${user}.yaml`);
    writeFileSync(file, [
      'policy: policy.yaml', 'hostname: gw.test', 'secret: privileges-test-secret', 'spool: spool',
      'listeners: [{ listen: "127.0.0.1:0" }]', 'delivery: { mode: maildir, maildir: mail }',
      'queue: { scanPeriod: 0.1 }', `user: ${user}`, 'log: { level: info, format: json }', '',
    ].join('\n'));
    return file;
  };

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) throw new Error('run `npm run build` first (npm test does it)');
    dir = mkdtempSync(join(tmpdir(), 'mw-priv-'));
    chmodSync(dir, 0o755); // nobody must reach the spool and the mail folder inside
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    mkdirSync(join(dir, 'mail'), { mode: 0o700 });
    chownSync(join(dir, 'mail'), ids!.uid, ids!.gid);
    child = spawn(process.execPath, [BIN, 'serve', '--config', writeConfig(USER)], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    await eventually(() => /listening on 127\.0\.0\.1:(\d+)/.test(stdout) || child.exitCode !== null, 15_000);
    if (child.exitCode !== null) throw new Error(`serve exited: ${stderr}`);
    port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(stdout)![1]);
  }, 20_000);
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs as that user and group: real, effective, saved and file-system ids, and no other groups', () => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const line = (name: string) => /^\S+:\s+(.*)$/m.exec(status.split('\n').find((l) => l.startsWith(`${name}:`))!)![1]!.trim().split(/\s+/).map(Number);
    expect(line('Uid')).toEqual([ids!.uid, ids!.uid, ids!.uid, ids!.uid]);
    expect(line('Gid')).toEqual([ids!.gid, ids!.gid, ids!.gid, ids!.gid]);
    expect(line('Groups')).toEqual([ids!.gid]);
    expect(stderr).toMatch(new RegExp(`"event":"privileges","user":"${USER}","uid":${ids!.uid},"gid":${ids!.gid}`));
  });

  it('has handed it the spool, mode 0700, and everything in it', () => {
    const spool = statSync(join(dir, 'spool'));
    expect(spool.mode & 0o777).toBe(0o700);
    expect({ uid: spool.uid, gid: spool.gid }).toEqual(ids);
    for (const area of readdirSync(join(dir, 'spool'))) {
      expect({ area, uid: statSync(join(dir, 'spool', area)).uid }).toEqual({ area, uid: ids!.uid });
    }
  });

  it('still accepts mail and delivers it, as that user', async () => {
    const info = await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'fred@example.net', to: ['bob@acme.example'] }, raw: 'Subject: after the drop\r\n\r\nhello\r\n' });
    expect(info.response).toMatch(/^250 .*queued as/);
    const box = join(dir, 'mail/bob@acme.example');
    await eventually(() => existsSync(box) && readdirSync(box).length === 1 && readdirSync(box)[0]!.endsWith('.eml')); // renamed from .eml.part
    const file = join(box, readdirSync(box)[0]!);
    expect(readFileSync(file, 'utf8')).toMatch(/Subject: after the drop/);
    expect(statSync(file).uid).toBe(ids!.uid);
  });

  it('stops on SIGTERM with exit 0', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('refuses to start for a user that does not exist: one clear line, exit 1, no stack trace', () => {
    const r = spawnSync(process.execPath, [BIN, 'serve', '--config', writeConfig('mw-no-such-user')], { cwd: dir, encoding: 'utf8', timeout: 15_000 });
    expect(r.signal).toBeNull(); // it exited by itself: nothing was left listening
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mailward serve: cannot start: user "mw-no-such-user" \(gateway\.yaml `user`\) does not exist on this system: create it \(useradd --system --no-create-home mw-no-such-user\) or change `user`/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).not.toMatch(/listening/);
  });
});

/**
 * A listener on a host name waits for its address lookup; before the drop, sessions on the
 * listeners bound already must wait too. Here that lookup takes a second and a half (a slow DNS
 * server), so a client reaches the first listener well before the drop.
 */
const SLOW_LOOKUP = `const dns = require('node:dns');
const lookup = dns.lookup;
dns.lookup = function (name, ...rest) {
  if (name !== 'slow-listener.test') return lookup.call(this, name, ...rest);
  const cb = rest.at(-1);
  const all = typeof rest[0] === 'object' && rest[0].all;
  setTimeout(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)), 1500);
};
`;

(isRoot && ids ? describe : describe.skip)('a client connecting while mailward serve binds its listeners, as root', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets its greeting only once the gateway runs as the unprivileged user, and its mail is that user\'s', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-priv-early-'));
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    writeFileSync(join(dir, 'slow-lookup.js'), SLOW_LOOKUP);
    mkdirSync(join(dir, 'mail'), { mode: 0o700 });
    chownSync(join(dir, 'mail'), ids!.uid, ids!.gid);
    writeFileSync(join(dir, 'gateway.yaml'), [
      'policy: policy.yaml', 'hostname: gw.test', 'secret: privileges-test-secret', 'spool: spool',
      'listeners: [{ listen: "127.0.0.1:0" }, { listen: "slow-listener.test:0" }]', 'delivery: { mode: maildir, maildir: mail }',
      'queue: { scanPeriod: 0.1 }', `user: ${USER}`, 'log: { level: info, format: json }', '',
    ].join('\n'));
    const proc = spawn(process.execPath, ['--require', join(dir, 'slow-lookup.js'), BIN, 'serve', '--config', join(dir, 'gateway.yaml')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const listening = /"event":"listening","host":"127\.0\.0\.1","port":(\d+)/;
    await eventually(() => listening.test(stderr) || proc.exitCode !== null, 15_000);
    if (proc.exitCode !== null) throw new Error(`serve exited: ${stderr}`);
    expect(stderr).not.toMatch(/"event":"privileges"/); // the second listener is still being looked up
    const port = Number(listening.exec(stderr)![1]);

    // When the greeting comes, who is the process serving it?
    const greeted = new Promise<{ uid: number[]; dropped: boolean }>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', reject);
      socket.once('data', () => {
        const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
        resolve({ uid: /^Uid:\s+(.*)$/m.exec(status)![1]!.trim().split(/\s+/).map(Number), dropped: /"event":"privileges"/.test(stderr) });
        socket.end('QUIT\r\n');
      });
    });
    const sent = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'fred@example.net', to: ['bob@acme.example'] }, raw: 'Subject: early\r\n\r\nhello\r\n' });
    expect(await greeted).toEqual({ uid: [ids!.uid, ids!.uid, ids!.uid, ids!.uid], dropped: true });
    expect((await sent).response).toMatch(/^250 .*queued as/);
    const box = join(dir, 'mail/bob@acme.example');
    await eventually(() => existsSync(box) && readdirSync(box).length === 1 && readdirSync(box)[0]!.endsWith('.eml')); // renamed from .eml.part
    expect(statSync(join(box, readdirSync(box)[0]!)).uid).toBe(ids!.uid);
  }, 30_000);
});
