/** The password file checks logins off the event loop: scrypt is slow by design. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordFile, passwordLine } from '../src/password-file';

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
