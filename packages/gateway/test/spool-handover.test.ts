/**
 * Handing the spool to the unprivileged user (as root, before the drop) changes the owner of
 * what is in the spool and of nothing else: the spool is that user's to write, so a symbolic
 * link planted there (by the gateway's user, or anyone who became it) must not make root give
 * away the file it points to. Root only (chown); skipped elsewhere unless CI=true.
 */
import { lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handOverSpool } from '../src/privileges';

const isRoot = process.getuid?.() === 0;
if (!isRoot && process.env.CI === 'true') throw new Error('the spool hand-over test must run as root under CI');

(isRoot ? describe : describe.skip)('handing the spool to the gateway user', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-handover-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('owns the spool and its files, and leaves what a symbolic link in it points to as it was', () => {
    const spool = join(dir, 'spool');
    mkdirSync(join(spool, 'corrupt'), { recursive: true });
    writeFileSync(join(spool, 'corrupt', 'kept.eml'), 'x');
    const outside = join(dir, 'shadow');
    writeFileSync(outside, 'root only', { mode: 0o600 });
    mkdirSync(join(dir, 'etc'));
    symlinkSync(outside, join(spool, 'corrupt', 'evil'));
    symlinkSync(join(dir, 'etc'), join(spool, 'evil-dir'));
    handOverSpool(spool, 65534, 65534);
    expect(statSync(join(spool, 'corrupt', 'kept.eml')).uid).toBe(65534);
    expect(statSync(join(spool, 'corrupt')).uid).toBe(65534);
    expect(lstatSync(join(spool, 'corrupt', 'evil')).uid).toBe(65534);
    expect(statSync(outside).uid).toBe(0);
    expect(statSync(join(dir, 'etc')).uid).toBe(0);
  });
});
