/** `mailward serve` and `mailward passwd` refuse what they cannot honour, before anything starts. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runCli } from './run-cli';

const STARTED = /listening on/;
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mw-serve-flags-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('--log-format other than json or pretty: usage error listing both', async () => {
  const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--log-format', 'jsno'], tmp, STARTED);
  expect(r.stdout).not.toMatch(STARTED);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--log-format must be one of json, pretty \(not "jsno"\)/);
});

test('--listen with a config of several listeners: an error naming them, nothing started', async () => {
  const file = join(tmp, 'gateway.yaml');
  writeFileSync(file, `listeners:\n  - listen: "127.0.0.1:0"\n  - listen: "127.0.0.2:0"\nspool: ${join(tmp, 'spool')}\ndelivery: { mode: maildir, maildir: ${join(tmp, 'mail')} }\n`);
  const r = await runCli(['serve', '--config', file, '--listen', '127.0.0.1:0'], tmp, STARTED);
  expect(r.stdout).not.toMatch(STARTED);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--listen 127\.0\.0\.1:0 cannot replace .*gateway\.yaml \(it has 2 listeners: 127\.0\.0\.1:0, 127\.0\.0\.2:0\)/);
});

test('--listen that is not HOST:PORT: usage error, nothing started', async () => {
  // "localhost" listened on port 25, and a port over 65535 stopped with node's RangeError text (exit 1).
  for (const listen of ['localhost', '127.0.0.1:99999']) {
    const r = await runCli(['serve', '--listen', listen], tmp, STARTED);
    expect(r.stdout).not.toMatch(STARTED);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--listen ${listen} is not HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:2525`);
  }
});

test('files gateway.yaml names that are missing: each with the key and its file:line:col, before anything starts', async () => {
  const dir = join(tmp, 'files');
  mkdirSync(dir);
  writeFileSync(join(dir, 'cert.pem'), 'not checked here: it exists\n');
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, [
    'policy: nope.yaml',
    'listeners:',
    '  - listen: "127.0.0.1:0"',
    '    tls: { key: key.pem, cert: cert.pem }',
    '    auth: { passwords: passwords }',
    'spool: spool',
    'delivery: { mode: maildir, maildir: mail }',
    '',
  ].join('\n'));
  const r = await runCli(['serve', '--config', file], dir, STARTED);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`gateway.yaml:1:9: /policy: ${join(dir, 'nope.yaml')} does not exist`);
  expect(r.stderr).toContain(`gateway.yaml:4:17: /listeners/0/tls/key: ${join(dir, 'key.pem')} does not exist`);
  expect(r.stderr).toContain(`gateway.yaml:5:24: /listeners/0/auth/passwords: ${join(dir, 'passwords')} does not exist`);
  expect(r.stderr).not.toMatch(/cert\.pem|"event":"start"/);
  expect(existsSync(join(dir, 'spool'))).toBe(false);
});

test('passwd --help prints its usage (not a line for the user "--help")', async () => {
  const r = await runCli(['passwd', '--help'], tmp);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^Usage: mailward passwd USER/);
  expect(r.stdout).not.toMatch(/scrypt:\d+:/);
  const option = await runCli(['passwd', '--frob'], tmp);
  expect(option.code).toBe(2);
  expect(option.stdout).toBe('');
});

test('an IPv6 listener is printed as [address]:port, as --listen and gateway.yaml take it', async () => {
  const r = await runCli(['serve', '--listen', '[::1]:0'], tmp, /listening on \S+\n/);
  expect(r.stdout).toMatch(/^mailward: listening on \[::1\]:\d+$/m);
});

test('--domain that is a wildcard or pattern: usage error naming the flag, nothing started', async () => {
  // `--domain '*'` made our-domains ['*', '*.*']: every recipient was ours (an open relay).
  // (re:, @lists and the rest: test/domain-check.test.ts in the gateway.)
  const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--domain', '*'], tmp, STARTED);
  expect(r.stdout).not.toMatch(STARTED);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--domain "*" is not a domain name: write one plain domain such as acme.example');
});

test('a password file with bad lines: every one told with the other mistakes, exit 1, no spool made', async () => {
  // Trial: the first bad line alone, after the spool was made and `start` logged.
  const dir = join(tmp, 'passwords');
  mkdirSync(dir);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=gw.test'], { stdio: 'ignore' });
  writeFileSync(join(dir, 'passwords'), 'alice\nbob:$2y$10$abcdefghijklmnopqrstuv\n');
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, [
    'listeners:',
    '  - listen: "127.0.0.1:0"',
    '    tls: { key: key.pem, cert: cert.pem }',
    '    auth: { passwords: passwords }',
    'spool: spool',
    'delivery: { mode: maildir, maildir: mail }',
    'queue: { scanPeriod: 0 }',
    '',
  ].join('\n'));
  const r = await runCli(['serve', '--config', file], dir, STARTED);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('gateway.yaml:7:22: /queue/scanPeriod must be > 0');
  expect(r.stderr).toContain(`${join(dir, 'passwords')}:1:1: expected user:scrypt:N:salt:hash, not a user name alone (make the line again with \`mailward passwd alice\`)`);
  expect(r.stderr).toContain(`${join(dir, 'passwords')}:2:5: unknown hash scheme $2y$ (bcrypt): only scrypt lines are read`);
  expect(r.stderr).not.toMatch(/"event":"start"/);
  expect(existsSync(join(dir, 'spool'))).toBe(false);
});

test('a bad gateway.yaml and a bad policy: both told in one run, each at its file:line:col, exit 1', async () => {
  const dir = join(tmp, 'both');
  mkdirSync(dir);
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nrcpt:\n  rules:\n    - id: a\n      when: { recipent: x@y.example }\n      do: [ accept ]\n');
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, 'policy: policy.yaml\nlisteners:\n  - listen: "127.0.0.1:99999"\nspool: spool\n');
  const r = await runCli(['serve', '--config', file], dir, STARTED);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('gateway.yaml:3:13: /listeners/0/listen: "127.0.0.1:99999" is not host:port');
  expect(r.stderr).toContain(`${join(dir, 'policy.yaml')}:5:15: rule \`a\`: \`recipent\` is not known in \`when\`; did you mean \`recipient\`?`);
  expect(existsSync(join(dir, 'spool'))).toBe(false);
});

test('a listener on a port in use: one `cannot start:` line, and the process exits 1 with nothing left bound or locked', async () => {
  // Trial g5: the first listener stayed bound (clients got no banner), /healthz said ok, and the process never exited.
  const taken = createServer();
  await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
  const port = (taken.address() as AddressInfo).port;
  const dir = join(tmp, 'port-in-use');
  mkdirSync(dir);
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, [
    'listeners:',
    '  - listen: "127.0.0.1:0"',
    `  - listen: "127.0.0.1:${port}"`,
    'admin: { listen: "127.0.0.1:0" }',
    'spool: spool',
    'delivery: { mode: maildir, maildir: mail }',
    '',
  ].join('\n'));
  try {
    const r = await runCli(['serve', '--config', file], dir, STARTED);
    expect(r.code).toBe(1);
    expect(r.stderr.match(/cannot start:/g)).toEqual(['cannot start:']);
    expect(r.stderr).toContain(`mailward serve: cannot start: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`);
    expect(existsSync(join(dir, 'spool', 'lock'))).toBe(false);
  } finally {
    await new Promise((r) => taken.close(r));
  }
});
