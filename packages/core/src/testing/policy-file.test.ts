import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicyError } from '../index';
import { loadPolicyWithTests, withoutTests } from './policy-file';

test('tests: is blanked with every other position kept', () => {
  const text = 'version: 1\ntests:\n  - name: a\n    expect: { verdict: accept }\nrcpt: { rules: [] }\n';
  const out = withoutTests(text);
  expect(out).toHaveLength(text.length);
  expect(out.split('\n')).toHaveLength(text.split('\n').length);
  expect(out).not.toContain('tests');
  expect(out.split('\n')[4]).toBe('rcpt: { rules: [] }');
  expect(withoutTests('version: 1\n')).toBe('version: 1\n');
});

test('a policy with tests: loads, and its problems keep their lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-pf-'));
  try {
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'version: 1\ntests:\n  - name: a\n    expect: { verdict: accept }\nrcpt:\n  rules:\n    - id: ours\n      do: [ accept ]\n');
    expect(loadPolicyWithTests(good).stages.rcpt.rules.map((r) => r.id)).toEqual(['ours']);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\ntests:\n  - name: a\n    expect: { verdict: accept }\nrcpt:\n  rules:\n    - id: ours\n      wen: {}\n      do: [ accept ]\n');
    let err: unknown;
    try {
      loadPolicyWithTests(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyError);
    expect((err as PolicyError).problems.map((p) => p.line)).toContain(8);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
