import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from './io';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'mw-test-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mailward test with a policy that does not load', () => {
  it('counts every case it kept from running as failed', async () => {
    writeFileSync(join(dir, 'p.yaml'), 'version: 1\nrcpt: { rules: [ { id: r, do: [ acept ] } ] }\n');
    const cases = [1, 2, 3].map((n) => `- name: case ${n}\n  envelope: { to: [x${n}@acme.example] }\n  expect: { verdict: reject }\n`).join('');
    writeFileSync(join(dir, 'p.test.yaml'), cases);
    let out = '';
    const io: Io = { out: (t) => void (out += t), err: () => undefined, tty: false };
    expect(await main(['test', join(dir, 'p.yaml')], io)).toBe(1);
    expect(out).toMatch(/^FAIL .*p\.yaml \(3 cases, not run\)\n/);
    expect(out).toMatch(/\nCases: {2}3 failed, 0 passed, 3 total\n$/);
  });
});
