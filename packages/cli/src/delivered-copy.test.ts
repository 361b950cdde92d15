import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notDelivered, removeStaleCopy, sameFile } from './delivered-copy';

describe('notDelivered: eval --out is written only for a verdict that delivers', () => {
  it('accept delivers', () => {
    expect(notDelivered('accept')).toBeUndefined();
  });

  it.each([
    ['reject', /rejected: nothing is delivered/],
    ['tempfail', /refused for now \(tempfail\)/],
    ['drop', /accepted and discarded \(drop\): nothing is delivered/],
    ['quarantine', /held in quarantine: nothing is delivered unless it is released/],
  ] as const)('%s delivers nothing', (verdict, reason) => {
    expect(notDelivered(verdict)).toMatch(reason);
  });
});

describe('removeStaleCopy', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mw-out-'));
    writeFileSync(join(dir, 'in.eml'), 'Subject: x\r\n\r\nbody\r\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('removes what an earlier run wrote, and says so', () => {
    writeFileSync(join(dir, 'out.eml'), 'old');
    expect(removeStaleCopy(join(dir, 'out.eml'), join(dir, 'in.eml'))).toBe(true);
    expect(existsSync(join(dir, 'out.eml'))).toBe(false);
  });

  it('has nothing to do when there is no file', () => {
    expect(removeStaleCopy(join(dir, 'out.eml'), join(dir, 'in.eml'))).toBe(false);
  });

  it('never removes the message being evaluated, a folder or a symlink', () => {
    expect(removeStaleCopy(join(dir, 'in.eml'), join(dir, 'in.eml'))).toBe(false);
    expect(removeStaleCopy(join(dir, '.', 'in.eml'), join(dir, 'in.eml'))).toBe(false);
    expect(removeStaleCopy(dir, join(dir, 'in.eml'))).toBe(false);
    symlinkSync(join(dir, 'in.eml'), join(dir, 'link.eml'));
    expect(removeStaleCopy(join(dir, 'link.eml'), join(dir, 'in.eml'))).toBe(false);
    expect(existsSync(join(dir, 'in.eml'))).toBe(true);
    expect(sameFile(join(dir, 'link.eml'), join(dir, 'in.eml'))).toBe(true);
  });
});
