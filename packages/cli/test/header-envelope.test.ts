import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

// eval and test without --from/--to (or a case without an envelope) take the envelope from
// From, To and Cc: addresses as an SMTP client would send them, quoted local parts and all.
let tmp: string;
const file = (name: string, text: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

const NO_BOUNCES = [
  'version: 1',
  'mail:',
  '  rules:',
  '    - id: bounces-refused',
  '      when: { sender: "<>" }',
  '      do: [ { reject: { code: 550, status: 5.7.1, text: "No bounces here" } } ]',
  'rcpt:',
  '  rules:',
  '    - { id: ours, when: { recipient: "*@acme.example" }, do: [ accept ] }',
  '',
].join('\n');
// A quoted local part in From; in To, one bare and one after a quoted name holding a comma.
const QUOTED = 'From: "john doe"@example.net\nTo: "j smith"@acme.example, "Smith, J" <"j.smith"@acme.example>\nSubject: q\n\nb\n';

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mw-envelope-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the envelope from the headers', () => {
  test('eval: a quoted local part is the sender, not the null sender; each To address is a recipient', async () => {
    const policy = file('no-bounces.yaml', NO_BOUNCES);
    const message = file('quoted.eml', QUOTED);
    const json = await runCli(['eval', policy, message, '--json']);
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.recipients.map((r: { address: string }) => r.address)).toEqual(['"j smith"@acme.example', '"j.smith"@acme.example']);
    expect(out).toMatchObject({ verdict: 'accept', stage: 'data', fired: ['ours'] });
    const text = await runCli(['eval', policy, message]);
    expect(text.stdout).toMatch(/^ {2}client 192\.0\.2\.10, helo mail\.example\.net, from <"john doe"@example\.net>$/m);
  });

  test('test: a case without an envelope gets the same sender and recipients', async () => {
    file('policy.yaml', NO_BOUNCES);
    file('quoted.eml', QUOTED);
    file('policy.test.yaml', [
      '- name: quoted local part sender is not a bounce',
      '  message: quoted.eml',
      '  expect:',
      '    verdict: accept',
      '    fired: [ours]',
      '    recipients: [ { address: \'"j smith"@acme.example\', verdict: accept }, { address: \'"j.smith"@acme.example\', verdict: accept } ]',
      '',
    ].join('\n'));
    const r = await runCli(['test', join(tmp, 'policy.yaml')], tmp);
    expect(r.stdout).toMatch(/^PASS policy\.yaml \(1 case\)/m);
    expect(r.code).toBe(0);
  });

  test('eval: a To that is an empty group is said to be one, not missing', async () => {
    const policy = file('no-bounces.yaml', NO_BOUNCES);
    const message = file('undisclosed.eml', 'From: a@example.net\nTo: undisclosed-recipients:;\nSubject: s\n\nb\n');
    const r = await runCli(['eval', policy, message]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/undisclosed\.eml: its To names no address \(an empty group `undisclosed-recipients:;`\); give the recipients with --to ADDR/);
    const none = await runCli(['eval', policy, file('no-to.eml', 'From: a@example.net\nSubject: s\n\nb\n')]);
    expect(none.stderr).toMatch(/no-to\.eml has no To or Cc header; give the recipients with --to ADDR/);
  });
});
