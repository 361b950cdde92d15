/**
 * `mailward serve` as a new user runs it: the embedded default in an empty folder, a real client
 * (swaks), the result read from ./var/mail, then SIGTERM.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { BUILTIN_POLICY } from '../src/index';
import { eventually } from './hub-sink';

const ROOT = join(__dirname, '../../..');
const BIN = join(ROOT, 'packages/cli/bin/mailward.js');
const hasSwaks = spawnSync('sh', ['-c', 'command -v swaks']).status === 0;
if (!hasSwaks && process.env.CI === 'true') throw new Error('swaks is not installed; CI must install it (.ci/apt-packages.txt)');
if (!hasSwaks) console.warn('swaks is not installed: the mailward serve test with a real client is skipped');

it('ships the Firebox inbound example as its embedded default, unchanged', () => {
  expect(readFileSync(BUILTIN_POLICY, 'utf8')).toBe(readFileSync(join(ROOT, 'examples/firebox-inbound/policy.yaml'), 'utf8'));
});

(hasSwaks ? describe : describe.skip)('mailward serve (embedded default, real process)', () => {
  let dir: string;
  let child: ChildProcess;
  let port = 0;
  let stderr = '';

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) throw new Error('run `npm run build` first (npm test does it)');
    dir = mkdtempSync(join(tmpdir(), 'mw-serve-'));
    child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--domain', 'example.test'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    await eventually(() => /listening on 127\.0\.0\.1:(\d+)/.test(stdout), 15_000).catch(() => {
      throw new Error(`serve did not start: ${stderr}`);
    });
    port = Number(/listening on 127\.0\.0\.1:(\d+)/.exec(stdout)![1]);
  }, 20_000);
  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const swaks = (...args: string[]) => spawnSync('swaks', ['--server', '127.0.0.1', '--port', String(port), '--helo', 'client.example.net', '--timeout', '10', ...args], { encoding: 'utf8' });

  it('takes mail for --domain, strips a .bat, and writes one .eml per recipient', async () => {
    const r = swaks('--from', 'fred@example.net', '--to', 'bob@example.test', '--header', 'X-Mailer: Outlook', '--attach-type', 'application/octet-stream', '--attach-name', 'run.bat', '--attach', '@/dev/null', '--body', 'hello');
    expect(r.stdout).toMatch(/<- {1,2}250 2\.0\.0 Message accepted: queued as/);
    const box = join(dir, 'var/mail/bob@example.test');
    // Written as <id>.eml.part, then renamed: the test waits for the renamed file, not the one being written.
    await eventually(() => existsSync(box) && readdirSync(box).length === 1 && readdirSync(box)[0]!.endsWith('.eml'));
    const eml = readFileSync(join(box, readdirSync(box)[0]!), 'utf8');
    expect(eml).toMatch(/\[Attachment denied by mailward policy \(type "application\/octet-stream", filename "run\.bat"\)\]/);
    expect(eml).not.toMatch(/X-Mailer/);
    expect(eml).toMatch(/hello/);
  });

  it('takes a bare RCPT TO:<Postmaster> (RFC 5321 4.5.1) for postmaster at --domain', async () => {
    const r = swaks('--from', 'fred@example.net', '--to', 'Postmaster', '--body', 'to the postmaster');
    expect(r.stdout).toMatch(/-> RCPT TO:<Postmaster>\s+<- {1,2}250 /);
    expect(r.stdout).toMatch(/<- {1,2}250 2\.0\.0 Message accepted: queued as/);
    const box = join(dir, 'var/mail/postmaster@example.test');
    await eventually(() => existsSync(box) && readdirSync(box).some((f) => f.endsWith('.eml')));
    expect(readFileSync(join(box, readdirSync(box).find((f) => f.endsWith('.eml'))!), 'utf8')).toMatch(/to the postmaster/);
  });

  it('refuses relaying to other domains (550 5.7.1)', () => {
    const r = swaks('--from', 'fred@example.net', '--to', 'someone@elsewhere.example', '--body', 'x');
    expect(r.stdout).toMatch(/<\*\* {1,2}550 5\.7\.1 Relaying denied/);
    // ... and through the hub by a source route in the local part (the % hack).
    const routed = swaks('--from', 'fred@example.net', '--to', 'someone%elsewhere.example@example.test', '--body', 'x');
    expect(routed.stdout).toMatch(/<\*\* {1,2}550 5\.7\.1 Relaying denied: no source routes/);
  });

  it('closes a session after 20 refused commands (421 4.7.0), as Postfix\'s smtpd_hard_error_limit', async () => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    try {
      await eventually(() => got.includes('220 '));
      socket.write('EHLO client.example.net\r\nMAIL FROM:<fred@example.net>\r\n');
      await eventually(() => /250 2\.1\.0/.test(got));
      for (let i = 0; i < 25 && !socket.destroyed; i++) {
        socket.write(`RCPT TO:<u${i}@elsewhere.example>\r\n`);
        await eventually(() => (got.match(/^550 5\.7\.1/gm) ?? []).length > i || /^421 /m.test(got));
      }
      await eventually(() => socket.destroyed || /^421 /m.test(got));
    } finally {
      socket.destroy(); // a session left open would hold the SIGTERM test below for its grace time
    }
    await closed;
    expect((got.match(/^550 5\.7\.1/gm) ?? []).length).toBe(20);
    expect(got).toMatch(/^421 4\.7\.0 /m);
  });

  it('does not offer the hidden keywords', () => {
    const r = swaks('--from', 'fred@example.net', '--to', 'bob@example.test', '--quit-after', 'EHLO');
    expect(r.stdout).toMatch(/250/);
    expect(r.stdout).not.toMatch(/-(AUTH|DSN|ETRN)\b/);
  });

  it('logs one JSON line per decision', async () => {
    const decisions = () => stderr.split('\n').filter((l) => l.startsWith('{') && l.includes('"event":"decision"')).map((l) => JSON.parse(l) as { stage: string; verdict: string });
    // The log is written to a pipe asynchronously: wait for it.
    await eventually(() => decisions().some((d) => d.stage === 'rcpt' && d.verdict === 'reject'));
    expect(decisions().some((d) => d.stage === 'data' && d.verdict === 'accept')).toBe(true);
  });

  it('holds malformed MIME in quarantine, and a release delivers it with the strip and header edits', async () => {
    // Never closed (no --b--): unclosed-multipart, so the default's last rule holds it.
    const raw = [
      'From: fred@example.net', 'To: bob@example.test', 'Subject: unclosed', 'X-Mailer: Outlook', 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'see the tool',
      '--b', 'Content-Type: application/octet-stream; name="tool.bat"', 'Content-Transfer-Encoding: base64', '', 'QGVjaG8gb2Zm', '',
    ].join('\r\n');
    const r = spawnSync('swaks', ['--server', '127.0.0.1', '--port', String(port), '--helo', 'client.example.net', '--from', 'fred@example.net', '--to', 'carol@example.test', '--data', '-'], { input: raw, encoding: 'utf8' });
    const id = /queued as (\w+)/.exec(r.stdout)?.[1];
    expect(id).toBeDefined();
    const cli = (...args: string[]) => spawnSync(process.execPath, [BIN, 'quarantine', ...args, '--spool', join(dir, 'var/spool')], { encoding: 'utf8' });
    await eventually(() => cli('list').stdout.includes(id!));
    expect(cli('list').stdout).toMatch(/malformed MIME/);
    // show explains the hold rule by rule, as eval's trace does.
    expect(cli('show', id!).stdout).toMatch(/trace \(data\):\n(.*\n)*    \+ hold-ambiguous-mime: matched\n        yes malformed = .*unclosed-multipart/);
    expect(cli('release', id!).status).toBe(0);
    const box = join(dir, 'var/mail/carol@example.test');
    await eventually(() => existsSync(box) && readdirSync(box).some((f) => f.endsWith('.eml')));
    const eml = readFileSync(join(box, readdirSync(box).find((f) => f.endsWith('.eml'))!), 'utf8');
    expect(eml).toMatch(/^X-Mailward-Released: /m);
    expect(eml).toMatch(/filename "tool\.bat"\)\]/);
    expect(eml).not.toMatch(/QGVjaG8gb2Zm/);
    expect(eml).not.toMatch(/X-Mailer/);
  });

  it('stops on SIGTERM with exit 0 and keeps its spool', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, 'var/spool/queue'))).toBe(true);
  });
});
