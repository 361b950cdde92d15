import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCaseFile } from './case-file';
import { discoverSuites } from './discover';
import { runSuite } from './run-suite';
import { factsFromFixture } from './fixture-facts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-cases-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadCaseFile', () => {
  test('problems name file:line:col of the offending key', () => {
    const file = write('a.test.yaml', 'tests:\n  - name: one\n    expect: { verdict: accept }\n  - name: two\n    expect:\n      verdict: accept\n      firred: [x]\n');
    const loaded = loadCaseFile(file, 'cases');
    expect(loaded.problems).toEqual([]);
    expect(loaded.cases.map((c) => [c.case.name, c.line])).toEqual([['one', 2], ['two', 4]]);
    expect(loaded.cases[0].problems).toEqual([]);
    expect(loaded.cases[1].problems).toEqual([`${file}:7:7: unknown key \`firred\` in \`expect\`; did you mean \`fired\`?`]);
    expect(loaded.policy).toBe(join(dir, 'a.yaml'));
  });

  test('a test file may name its policy, and a bare list is fine', () => {
    expect(loadCaseFile(write('b.test.yaml', 'policy: ../p/x.yaml\ntests: []\n'), 'cases').policy).toBe(join(dir, '../p/x.yaml'));
    expect(loadCaseFile(write('c.test.yaml', '- name: x\n  expect: { verdict: drop }\n'), 'cases').cases).toHaveLength(1);
  });

  test('unknown top-level keys and broken YAML are file problems', () => {
    expect(loadCaseFile(write('d.test.yaml', 'cases: []\n'), 'cases').problems[0]).toMatch(/d\.test\.yaml:1:1: unknown key `cases`/);
    expect(loadCaseFile(write('e.test.yaml', 'tests: [\n'), 'cases').problems[0]).toMatch(/e\.test\.yaml:1:8: .*the \[ here is never closed/);
    expect(loadCaseFile(write('f.test.yaml', 'tests:\n\t- name: x\n    expect: { verdict: drop }\n'), 'cases').problems).toEqual([
      expect.stringMatching(/f\.test\.yaml:2:1: YAML indentation must use spaces, not tabs/),
    ]);
  });

  test("a policy's own tests: are read, the rest of the policy ignored", () => {
    const file = write('p.yaml', 'version: 1\nrcpt: { rules: [] }\ntests:\n  - name: t\n    expect: { verdict: reject }\n');
    const loaded = loadCaseFile(file, 'policy');
    expect(loaded.policy).toBe(file);
    expect(loaded.cases.map((c) => c.case.name)).toEqual(['t']);
  });
});

describe('discoverSuites', () => {
  test('a policy gathers its own tests and <name>.test.yaml; duplicates fail', () => {
    const sub = join(dir, 'suite');
    mkdirSync(sub);
    writeFileSync(join(sub, 'policy.yaml'), 'version: 1\ntests:\n  - name: same\n    envelope: { to: [a@b.example] }\n    expect: { verdict: reject }\n');
    writeFileSync(
      join(sub, 'policy.test.yaml'),
      'tests:\n  - name: same\n    envelope: { to: [c@b.example] }\n    expect: { verdict: reject }\n  - name: other\n    envelope: { to: [a@b.example] }\n    expect: { verdict: accept }\n',
    );
    const [suite] = discoverSuites(join(sub, 'policy.yaml'));
    expect(suite.files).toHaveLength(2);
    expect(suite.cases.map((c) => c.case.name)).toEqual(['same', 'same', 'other']);
    expect(suite.cases[0].problems).toEqual([]);
    expect(suite.cases[1].problems[0]).toMatch(/duplicate case name "same"/);
    expect(suite.cases[2].problems[0]).toMatch(/same envelope, message and facts as "same"/);
    expect(discoverSuites(dir).map((s) => s.policy)).toContain(join(sub, 'policy.yaml'));
  });

  test('cases without a name fail for that alone, not as duplicates of one another named "undefined"', () => {
    const sub = join(dir, 'unnamed');
    mkdirSync(sub);
    const file = join(sub, 'policy.yaml');
    writeFileSync(file, 'version: 1\ntests:\n  - envelope: { to: [a@b.example] }\n    expect: { verdict: reject }\n  - envelope: { to: [a@b.example] }\n    expect: { verdict: reject }\n');
    const [suite] = discoverSuites(file);
    const problems = suite.cases.flatMap((c) => c.problems);
    expect(problems.join('\n')).not.toMatch(/undefined/);
    expect(problems).toContain(`${file}:5:5: case at ${file}:5 has the same envelope, message and facts as at ${file}:3`);
  });

  test("a policy: that is not there is reported at the test file's policy: line (trial39)", async () => {
    const sub = join(dir, 'missing');
    mkdirSync(sub);
    const file = join(sub, 'x.test.yaml');
    writeFileSync(file, 'policy: nope.yaml\ntests:\n  - name: t\n    expect: { verdict: accept }\n');
    const [suite] = discoverSuites(file);
    expect((await runSuite(suite)).problems).toEqual([`${file}:1:9: no such policy file ${join(sub, 'nope.yaml')}; \`policy\` is the path of the policy, relative to the test file`]);
  });
});

describe('factsFromFixture', () => {
  test('unstated facts are the clean answer; stated ones win', () => {
    const facts = factsFromFixture({ dnsbl: { 'zen.example': ['127.0.0.2'] }, greylist: 'pending' }, [{ kind: 'dnsbl', zone: 'zen.example' }, { kind: 'dnsbl', zone: 'other.example' }], {
      helo: 'mx.example.net',
      sender: 'a@example.net',
      recipients: ['b@acme.example'],
    });
    expect(facts).toEqual({
      dnsbl: { 'zen.example': ['127.0.0.2'], 'other.example': [] },
      spam: { score: 0 },
      virus: { names: [], parts: {} },
      greylist: { 'b@acme.example': 'pending' },
      resolves: { 'mx.example.net': true, 'example.net': true, 'acme.example': true },
      recipientExists: { 'b@acme.example': true },
    });
  });

  test('errors stay errors', () => {
    const facts = factsFromFixture({ spam: { error: 'timeout' }, greylist: { error: 'down' } }, [], { recipients: ['b@acme.example'] });
    expect(facts.spam).toEqual({ error: 'timeout' });
    expect(facts.greylist).toEqual({ 'b@acme.example': { error: 'down' } });
  });
});
