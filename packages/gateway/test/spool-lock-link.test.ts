/**
 * A lock taken on a full disk is a symbolic link to the pid (no data block needed): it is read,
 * honoured and taken over as the file is.
 */
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockSpool, lockText } from '../src/spool/spool-lock';

let root: string;
beforeEach(() => void (root = mkdtempSync(join(tmpdir(), 'mw-lock-link-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('takes over a link lock whose process is gone', () => {
  symlinkSync('999999', join(root, 'lock'));
  expect(lockText(join(root, 'lock'))).toBe('999999\n');
  const release = lockSpool(root);
  expect(lstatSync(join(root, 'lock')).isFile()).toBe(true);
  expect(readFileSync(join(root, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
  release();
});

it('refuses a link lock naming a running process', () => {
  symlinkSync('1', join(root, 'lock'));
  expect(() => lockSpool(root)).toThrow(/in use by process 1 /);
});
