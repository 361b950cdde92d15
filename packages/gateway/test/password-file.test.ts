/**
 * The password file checks logins off the event loop (scrypt is slow by design), and tells every
 * line it cannot use at once, each at file:line:col. Trial: only the first bad line was told.
 */
import { scryptSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { PasswordFile, passwordLine } from '../src/password-file';
import { readPasswordLines } from '../src/password-lines';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-pwfile-'));
  writeFileSync(join(dir, 'passwords'), `${passwordLine('alice', 'correct horse')}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('lets other work run while a login is hashed', async () => {
  const file = new PasswordFile(join(dir, 'passwords'));
  let ran = false;
  setImmediate(() => (ran = true));
  const checked = file.check('alice', 'correct horse');
  expect(ran).toBe(false);
  await expect(checked).resolves.toBe(true);
  expect(ran).toBe(true);
});

it('refuses a wrong password and an unknown user', async () => {
  const file = new PasswordFile(join(dir, 'passwords'));
  await expect(file.check('alice', 'wrong')).resolves.toBe(false);
  await expect(file.check('mallory', 'correct horse')).resolves.toBe(false);
});

it('tells every line that cannot be used, each at file:line:col with what to change', () => {
  const good = passwordLine('alice', 'correct horse');
  const text = [
    '# users',
    good,
    'bob',
    '  carol:$2y$10$abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNO',
    'dave:{SSHA}c2FsdGVkaGFzaA==',
    'erin:scrypt:1000:c2FsdA==:aGFzaA==',
    'frank:scrypt:16384:c2FsdA==:aGFzaA==',
    'gina:scrypt:16384:c2FsdA==',
    `${good}:extra`,
    '',
  ].join('\n');
  expect(readPasswordLines('pw', text).problems.map((p) => `${p.where}: ${p.problem}`)).toEqual([
    'pw:3:1: expected user:scrypt:N:salt:hash, not a user name alone (make the line again with `mailward passwd bob`)',
    'pw:4:9: unknown hash scheme $2y$ (bcrypt): only scrypt lines are read (expected user:scrypt:N:salt:hash); make the line again with `mailward passwd carol`',
    'pw:5:6: unknown hash scheme "{SSHA}c2FsdGVkaGFzaA...": only scrypt lines are read (expected user:scrypt:N:salt:hash); make the line again with `mailward passwd dave`',
    'pw:6:13: N "1000" is not a power of two from 2 to 65536 (scrypt\'s cost, 16384 from mailward passwd); make the line again with `mailward passwd erin`',
    'pw:7:29: the hash is not 32 bytes of base64; make the line again with `mailward passwd frank`',
    'pw:8:19: expected user:scrypt:N:salt:hash: this line has 4 of the 5 fields (make the line again with `mailward passwd gina`)',
    `pw:9:${good.length + 2}: expected user:scrypt:N:salt:hash: this line has 1 field(s) more after the hash (a user name may not have ':' in it)`,
  ]);
  expect([...readPasswordLines('pw', text).users.keys()]).toEqual(['alice']);
});

it('refuses a user given on two lines: which password counts would be a guess', () => {
  const text = [passwordLine('alice', 'old one'), passwordLine('bob', 'b'), `  ${passwordLine('alice', 'new one')}`, ''].join('\n');
  const { users, problems } = readPasswordLines('pw', text);
  expect(problems.map((p) => `${p.where}: ${p.problem}`)).toEqual([
    'pw:3:3: user "alice" again (line 1 has it too): keep one line per user, the one `mailward passwd` printed last',
  ]);
  expect([...users.keys()]).toEqual(['alice', 'bob']);
  writeFileSync(join(dir, 'twice'), text);
  expect(() => new PasswordFile(join(dir, 'twice'))).toThrow(/twice:3:3: user "alice" again/);
});

it('takes N up to 65536, which node\'s default scrypt memory refused at every login, and no more (review)', async () => {
  const salt = Buffer.from('salty-salt-salty');
  const hash = scryptSync('pw', salt, 32, { N: 32768, maxmem: 64 * 1024 * 1024 }).toString('base64');
  writeFileSync(join(dir, 'costly'), `hal:scrypt:32768:${salt.toString('base64')}:${hash}\n`);
  await expect(new PasswordFile(join(dir, 'costly')).check('hal', 'pw')).resolves.toBe(true);
  const lines = ['ivy:scrypt:131072:c2FsdA==:aGFzaA==', 'jo:scrypt:6442450944:c2FsdA==:aGFzaA==', 'kim:scrypt:4294967296:c2FsdA==:aGFzaA=='].join('\n');
  expect(readPasswordLines('pw', lines).problems.map((p) => p.where)).toEqual(['pw:1:12', 'pw:2:11', 'pw:3:12']);
});

it('refuses a file with bad lines at start, naming all of them', () => {
  writeFileSync(join(dir, 'bad'), 'bob\ncarol:bcrypt:10:c2FsdA==:aGFzaA==\n');
  expect(() => new PasswordFile(join(dir, 'bad'))).toThrow(`${join(dir, 'bad')}:1:1: expected user:scrypt:N:salt:hash, not a user name alone (make the line again with \`mailward passwd bob\`)\n${join(dir, 'bad')}:2:7: unknown hash scheme "bcrypt"`);
});

it('stops startGateway before the spool is made', async () => {
  writeFileSync(join(dir, 'bad-start'), 'bob\n');
  const spool = join(dir, 'spool');
  const config = { ...defaultConfig(dir), spool, listeners: [{ listen: '127.0.0.1:0', tls: { key: 'k', cert: 'c' }, auth: { passwords: join(dir, 'bad-start') } }] };
  await expect(startGateway(config, createLog('error', () => undefined, false))).rejects.toThrow(`${join(dir, 'bad-start')}:1:1: expected user:scrypt:N:salt:hash`);
  expect(existsSync(spool)).toBe(false);
});
