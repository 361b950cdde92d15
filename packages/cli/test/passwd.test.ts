/** `mailward passwd USER`: the line it prints is one the gateway's password file takes. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { PasswordFile } from '@mailward/gateway';
import { run } from '../src/commands/passwd';
import type { Io } from '../src/io';

async function passwd(user: string, stdin: string): Promise<string> {
  let out = '';
  const io: Io = { out: (t) => void (out += t), err: () => undefined, tty: false };
  await run([user], io, Readable.from([Buffer.from(stdin)]));
  return out;
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mw-passwd-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('the password is the first line of standard input, whatever blank lines follow (trial J: "pw\\n\\n" stored "pw\\n")', async () => {
  const file = join(dir, 'passwords');
  writeFileSync(file, await passwd('eve', 'pw\n\n'));
  const passwords = new PasswordFile(file);
  expect(await passwords.check('eve', 'pw')).toBe(true);
  expect(await passwords.check('eve', 'pw\n')).toBe(false);
  await expect(passwd('eve', 'pw\nsecond line\n')).rejects.toThrow('standard input has more than one line: give the password alone, on one line');
  await expect(passwd('eve', '\n')).rejects.toThrow('no password on standard input');
});

test('a user name with a colon or white space is refused, saying which', async () => {
  await expect(passwd('ev:e', 'pw\n')).rejects.toThrow(/^the user name "ev:e" has a colon, which separates the name from the hash in the file/);
  await expect(passwd('ev e', 'pw\n')).rejects.toThrow(/^the user name "ev e" has white space in it/);
});
