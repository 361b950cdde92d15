import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

// `mailward replay` over real folders, a maildir and an mbox, through the Firebox inbound example:
// a .bat stripped (deny-file-names), a foreign recipient refused (the rcpt default), a clean
// message accepted, a garbage file counted as unreadable.
const root = join(__dirname, '..', '..', '..');
const policy = join(root, 'examples', 'firebox-inbound', 'policy.yaml');
const fixture = (name: string) => readFileSync(join(root, 'examples', 'firebox-inbound', name), 'utf8');
const junkBat = fixture('junk-bat.eml');
const plain = fixture('plain.eml');
const foreign = plain.replace('To: Bob <bob@acme.example>', 'To: Eve <eve@elsewhere.example>').replace('Lunch on Friday?', 'Relay me');
// Bytes that are no header block: binary with NULs and no "Name:" line.
const garbage = Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 256).filter((b) => b !== 0x3a));
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mw-replay-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(base: string, files: Record<string, string | Buffer>): string {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(base, name, '..'), { recursive: true });
    writeFileSync(join(base, name), content);
  }
  return base;
}

const rowOf = (stdout: string, rule: string) => stdout.split('\n').find((l) => l.startsWith(`${rule} `)) ?? '';

describe('mailward replay', () => {
  test('a folder of .eml (recursive): the impact table, verdict totals, unreadable and ignored files', async () => {
    const folder = tree(join(tmp, 'folder'), {
      'junk-bat.eml': junkBat,
      'sub/plain.eml': plain,
      'sub/deeper/foreign.eml': foreign,
      'garbage.eml': garbage,
      'README.txt': 'not mail',
    });
    const r = await runCli(['replay', policy, folder, '--show', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^replayed 3 of 4 messages through policy "firebox-inbound"/);
    expect(rowOf(r.stdout, 'deny-file-names')).toMatch(/^deny-file-names\s+data\s+1\s+stripped 1 part, logged 1$/);
    expect(rowOf(r.stdout, 'allow-only-safe-types')).toMatch(/\s0\s+-$/);
    expect(rowOf(r.stdout, 'our-domains-only')).toMatch(/\srcpt\s+2\s+accepted 2$/);
    // It fires on both, and edits only plain.eml: junk-bat.eml has no field the allowlist removes (trial K).
    expect(rowOf(r.stdout, 'header-allowlist')).toMatch(/\s2\s+edited headers on 1$/);
    expect(rowOf(r.stdout, '(rcpt default)')).toMatch(/\srcpt\s+1\s+rejected 1, refused 1 recipient$/);
    // --show 1: the first message each rule fired on, with its Subject.
    expect(r.stdout).toContain(`deny-file-names  `);
    expect(r.stdout).toContain(`    ${join(folder, 'junk-bat.eml')}  "try this"`);
    expect(r.stdout).toContain(`    ${join(folder, 'sub/deeper/foreign.eml')}  "Relay me"`);
    expect(r.stdout).toMatch(/verdicts: accepted 2, rejected 1, tempfailed 0, quarantined 0, dropped 0/);
    expect(r.stdout).toMatch(/envelope: sender from From 3; recipients from To\/Cc 3/);
    expect(r.stdout).toContain(`unreadable: 1\n  ${join(folder, 'garbage.eml')}: not a message: no header fields`);
    expect(r.stdout).toMatch(/ignored 1 folder entry \(not \*\.eml, not in a maildir\): .*README\.txt/);
  });

  test('a maildir (cur/ and new/, tmp/ left alone): the envelope from Delivered-To and Return-Path', async () => {
    const delivered = `Return-Path: <alice@example.net>\r\nDelivered-To: bob@acme.example\r\n${foreign.replace('Relay me', 'Delivered here')}`;
    const maildir = tree(join(tmp, 'Maildir'), {
      'cur/1700000001.M1.host:2,S': junkBat,
      'new/1700000002.M2.host': delivered,
      'new/1700000003.M3.host': foreign,
      'tmp/1700000004.M4.host': junkBat,
      'dovecot-uidlist': '3 V1 N4\n',
    });
    const r = await runCli(['replay', policy, maildir, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.messages).toEqual({ read: 3, replayed: 3, unreadable: 0 });
    expect(out.verdicts).toEqual({ accepted: 2, rejected: 1, tempfailed: 0, quarantined: 0, dropped: 0 });
    expect(out.envelope).toEqual({ sender: { From: 2, 'Return-Path': 1 }, recipients: { 'To/Cc': 2, 'Delivered-To': 1 } });
    expect(out.ignored).toEqual({ count: 1, first: [join(maildir, 'dovecot-uidlist')] });
  });

  test('an mbox: split on "From " lines, >From unquoted, and the --json document', async () => {
    const quoted = plain.replace('Lunch on Friday at noon?', 'Lunch on Friday at noon?\r\n>From the desk of Alice: a quoted From line.');
    const mbox = join(tmp, 'inbox.mbox');
    writeFileSync(
      mbox,
      ['From alice@example.net Mon Nov  2 10:00:00 2026', quoted, 'From alice@example.net Mon Nov  2 10:05:00 2026', junkBat,
        'From eve@example.org Mon Nov  2 10:10:00 2026', foreign, ''].join('\n'),
    );
    const r = await runCli(['replay', policy, mbox, '--json', '--show', '5']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['envelope', 'ignored', 'messages', 'policy', 'rules', 'sources', 'unreadable', 'verdicts']);
    expect(out.policy).toEqual({ file: policy, name: 'firebox-inbound' });
    expect(out.sources).toEqual([mbox]);
    expect(out.messages).toEqual({ read: 3, replayed: 3, unreadable: 0 });
    expect(out.verdicts).toEqual({ accepted: 2, rejected: 1, tempfailed: 0, quarantined: 0, dropped: 0 });
    expect(out.unreadable).toEqual([]);
    const rule = (id: string) => out.rules.find((x: { rule: string }) => x.rule === id);
    expect(out.rules.map((x: { rule: string }) => x.rule)).toEqual(['no-source-routing', 'our-domains-only', 'deny-file-names', 'allow-only-safe-types', 'header-allowlist', 'hold-ambiguous-mime', '(rcpt default)']);
    expect(rule('deny-file-names')).toMatchObject({ stage: 'data', messages: 1, strippedParts: 1, effects: { stripPart: 1, log: 1 } });
    expect(rule('deny-file-names').examples).toEqual([{ source: `${mbox}:${2 + quoted.split('\n').length}`, subject: 'try this' }]);
    expect(rule('(rcpt default)')).toMatchObject({ stage: 'rcpt', messages: 1, rejected: 1, refusedRecipients: 1 });
    expect(rule('(rcpt default)').examples).toEqual([{ source: expect.stringMatching(/inbox\.mbox:\d+$/), subject: 'Relay me' }]);
    expect(rule('our-domains-only')).toMatchObject({ messages: 2, accepted: 2, rejected: 0 });
    expect(rule('header-allowlist').examples.map((m: { subject: string }) => m.subject)).toEqual(['Lunch on Friday?', 'try this']);
  });

  test('a part two rules strip is counted once, for the rule whose strip the rewrite applies', async () => {
    const strips = join(tmp, 'strips.yaml');
    writeFileSync(strips, [
      'version: 1', 'rcpt:', '  rules:', '    - { id: all-rcpt, do: [accept] }', 'data:', '  rules:',
      '    - { id: by-name, when: { part: { filename: "*.exe" } }, do: [strip] }',
      '    - { id: by-type, when: { part: { type: application/x-msdownload } }, do: [strip] }',
      '    - { id: drop-bat, when: { part: { filename: "*.bat" } }, do: [drop] }', '',
    ].join('\n'));
    const exe = (name: string) => [`--b`, `Content-Type: application/x-msdownload; name="${name}"`, 'Content-Transfer-Encoding: base64', '', 'TVqQAAMAAAAEAAAA'];
    const message = (subject: string, ...parts: string[][]) => ['From: a@example.net', 'To: bob@acme.example', `Subject: ${subject}`, 'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain', '', 'hi', ...parts.flat(), '--b--', ''].join('\r\n');
    // Two programs in one message; in the other, a .bat gets the message dropped: it is never
    // delivered, so nothing of it is stripped.
    const folder = tree(join(tmp, 'strips'), { 'two.eml': message('two', exe('a.exe'), exe('b.exe')), 'dropped.eml': message('dropped', exe('c.exe'), exe('d.bat')) });
    const r = await runCli(['replay', strips, folder]);
    expect(r.code).toBe(0);
    expect(rowOf(r.stdout, 'by-name')).toMatch(/\sdata\s+2\s+stripped 2 parts$/);
    expect(rowOf(r.stdout, 'by-type')).toMatch(/\sdata\s+2\s+matched 2 parts already stripped by an earlier rule$/);
    const out = JSON.parse((await runCli(['replay', strips, folder, '--json'])).stdout);
    const rule = (id: string) => out.rules.find((x: { rule: string }) => x.rule === id);
    expect(rule('by-name')).toMatchObject({ strippedParts: 2, strippedBefore: 0, effects: { stripPart: 3 } });
    expect(rule('by-type')).toMatchObject({ strippedParts: 0, strippedBefore: 2, effects: { stripPart: 4 } });
  });

  test('--recipient and --sender set the envelope for every message', async () => {
    const folder = tree(join(tmp, 'override'), { 'foreign.eml': foreign });
    const r = await runCli(['replay', policy, folder, '--recipient', 'bob@acme.example', '--sender', '<>', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.verdicts.accepted).toBe(1);
    expect(out.envelope).toEqual({ sender: { '--sender': 1 }, recipients: { '--recipient': 1 } });
  });

  test('an mbox body line "From ..." after text is no separator; no messages is said, and exits 1 when no SOURCE has one (trial39)', async () => {
    const box = join(tmp, 'box2.mbox');
    writeFileSync(box, `From a Mon\n${plain.replace(/\r\n/g, '\n').replace(/\n\n/, '\n\nline one\nFrom here on we talk\n')}\nFrom b Mon\n${plain}`);
    const r = await runCli(['replay', policy, box]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^replayed 2 of 2 messages/);
    const empty = join(tmp, 'empty.mbox');
    writeFileSync(empty, '');
    const dir = join(tmp, 'nothing-here');
    mkdirSync(dir);
    const none = await runCli(['replay', policy, empty, dir]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain(`no messages found in ${empty}, ${dir}`);
    const some = await runCli(['replay', policy, box, empty]);
    expect(some.code).toBe(0);
    expect(some.stdout).toMatch(/^replayed 2 of 2 messages/);
    expect(some.stderr).toContain(`mailward replay: no messages found in ${empty}\n`);
  }, 60_000);

  test('bad input exits 1: a bad policy with file:line:col, a missing source; bad usage exits 2', async () => {
    const bad = join(tmp, 'bad-policy.yaml');
    writeFileSync(bad, 'version: 1\nrcpt:\n  rules:\n    - id: typo\n      wen: { recipient: "*@acme.example" }\n      do: [ accept ]\n');
    const r = await runCli(['replay', bad, tmp]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad-policy\.yaml is not a valid policy/);
    expect(r.stderr).toMatch(new RegExp(`${bad}:5:\\d+: .*wen`));
    const missing = await runCli(['replay', join(tmp, 'nope.yaml'), tmp]);
    expect(missing.code).toBe(1);
    const source = await runCli(['replay', policy, join(tmp, 'no-such-maildir')]);
    expect(source.code).toBe(1);
    expect(source.stderr).toMatch(/cannot read source .*no-such-maildir: ENOENT/);
    expect((await runCli(['replay', policy])).code).toBe(2);
    expect((await runCli(['replay', policy, tmp, '--show', 'all'])).code).toBe(2);
  }, 90_000); // six CLI processes in a row: on a loaded machine that passes the default 30 s
});
