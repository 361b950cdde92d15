import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { deliveredBytes } from '@mailward/core/testing';
import { runCli } from './run-cli';

// Each test starts the CLI several times; on a loaded machine one start took 8-12 s (CI run
// beside other jobs), past jest's 30 s for a test of four. A budget per test, not a measurement.
jest.setTimeout(120_000);


// The real CLI in a child process: what a script calling `mailward` sees (output, exit code).
const root = join(__dirname, '..', '..', '..');
const example = (name: string, file: string) => join(root, 'examples', name, file);
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'mw-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('usage', () => {
  test('--help prints the commands; no command is bad usage', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/mailward eval POLICY MESSAGE\.eml/);
    expect((await runCli([])).code).toBe(2);
  });

  test.each(['check', 'eval', 'test', 'replay', 'serve', 'spool', 'quarantine', 'passwd'])('%s --help prints its usage and options and exits 0', async (name) => {
    const help = await runCli([name, '--help']);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(new RegExp(`^Usage: mailward ${name} `));
    const short = await runCli([name, '-h']);
    expect(short.stdout).toBe(help.stdout);
  });

  test('--help names the options a command takes; after -- it is an argument', async () => {
    expect((await runCli(['eval', '--help'])).stdout).toMatch(/--out FILE +write the message as it would be delivered/);
    expect((await runCli(['serve', '--help'])).stdout).toMatch(/127\.0\.0\.1:2525/);
    expect((await runCli(['replay', '--help'])).stdout).toMatch(/--sender ADDR .*\(default: each message's Return-Path, else From\)/);
    const literal = await runCli(['check', '--', '--help']);
    expect(literal.code).toBe(1);
    expect(literal.stderr).toMatch(/--help: no such policy file/);
  });

  test('the bin runs as an executable, its #! line giving node its options', () => {
    // (built output: the bin loads dist/, as an installed mailward does)
    const bin = join(root, 'packages/cli/bin/mailward.js');
    const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    expect(execFileSync(bin, ['--version'], { env, encoding: 'utf8' })).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env -S node --max-semi-space-size=1');
  });

  test('output into a pipe that closes early (`| head`) ends quietly, the --out file written', async () => {
    const bin = join(root, 'packages/cli/bin/mailward.js');
    const out = join(tmp, 'piped.eml');
    const child = spawn(process.execPath, [bin, 'eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'slides-ppt.eml'), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // what the reader of `| head -1` does once it has its line
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolveCode) => child.on('close', resolveCode));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(out, 'utf8')).toMatch(/Attachment denied by mailward policy/);
  });

  test('an unknown command or option exits 2 and says what was wrong', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
    const option = await runCli(['check', '--frob', 'x.yaml']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/--frob/);
  });
});

describe('mailward check', () => {
  test('a valid policy: exit 0 and a one-line summary', async () => {
    const r = await runCli(['check', example('firebox-inbound', 'policy.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/policy\.yaml: valid policy "firebox-inbound", \d+ rules/);
  });

  test('a gateway.yaml is checked as serve takes it, with its policy (trial I: it was read as a policy)', async () => {
    const dir = mkdtempSync(join(tmp, 'gw-check-'));
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nrcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }\n');
    const good = join(dir, 'gateway.yaml');
    writeFileSync(good, 'policy: policy.yaml\nlisteners: [{ listen: "127.0.0.1:2525" }]\ndelivery: { mode: maildir }\n');
    const ok = await runCli(['check', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe(`${good}: valid gateway configuration; policy ${join(dir, 'policy.yaml')}: 1 rule\n`);
    // One with only keys the policy format lacks too (review: read as a policy before).
    const small = join(dir, 'small-gateway.yaml');
    writeFileSync(small, 'policy: policy.yaml\ndomain: acme.example\n');
    expect((await runCli(['check', small])).stderr).not.toMatch(/not known at the top level/);
    const bad = join(dir, 'bad-gateway.yaml');
    writeFileSync(bad, 'policy: policy.yaml\nlisteners: [{ listen: "127.0.0.1:99999" }]\ndelivery: { mode: maildir }\nspoool: x\n');
    const refused = await runCli(['check', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:1: .*spoool.*did you mean \`spool\``, 'm'));
    expect(refused.stderr).toMatch(/bad-gateway\.yaml:2:\d+: .*99999/);
    expect(refused.stderr).toMatch(/bad-gateway\.yaml: invalid gateway configuration \(2 problems\)\n$/);
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nrcpt: { rules: [ { id: ours, when: { recipient: { domian: acme.example } }, do: [ accept ] } ] }\n');
    const policyBad = await runCli(['check', good]);
    expect(policyBad.code).toBe(1);
    expect(policyBad.stderr).toMatch(/policy\.yaml:2:\d+: .*domian/);
    expect(policyBad.stderr).toMatch(/gateway\.yaml: invalid gateway configuration \(1 problem\)\n$/);
  });

  test('an invalid policy: exit 1 and every error with file:line:col', async () => {
    const file = join(tmp, 'bad.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'mail:',
        '  rules:',
        '    - id: too-early',
        '      when: { part: { filename: "*.exe" } }',
        '      do: [ reject ]',
        'rcpt:',
        '  rules:',
        '    - id: typo',
        '      wen: { recipient: "*@acme.example" }',
        '      do: [ accept ]',
        '',
      ].join('\n'),
    );
    const r = await runCli(['check', file]);
    expect(r.code).toBe(1);
    const located = r.stderr.split('\n').filter((l) => l.startsWith(`${file}:`));
    expect(located.length).toBeGreaterThanOrEqual(2);
    expect(r.stderr).toMatch(new RegExp(`${file}:5:\\d+: rule \`too-early\`: .*part`));
    expect(r.stderr).toMatch(new RegExp(`${file}:10:\\d+: rule \`typo\`: .*wen`));
  });

  test('warnings beside the errors are counted as warnings, not problems', async () => {
    const file = join(tmp, 'error-and-warning.yaml');
    writeFileSync(
      file,
      [
        'version: 1',
        'data:',
        '  rules:',
        '    - id: r1',
        '      do: [ { masquerade: { domain: "*.acme.example" } } ]',
        '    - id: r3',
        '      do: [ { strip: { notice: "x" } }, drop-part ]',
        '      when: { part: { type: "application/x-foo" } }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['check', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file}:5:\\d+: rule \`r1\`: .*not a domain name`));
    expect(r.stderr).toMatch(new RegExp(`${file}:6:\\d+: warning: rule \`r3\`: no rule looks at \`malformed\``));
    expect(r.stderr).toMatch(new RegExp(`${file}: invalid \\(1 problem, 1 warning\\)\n$`));
  });

  test('a missing file: exit 1', async () => {
    const r = await runCli(['check', join(tmp, 'nope.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nope\.yaml/);
  });
});

describe('mailward eval', () => {
  test('--json prints exactly the contract object', async () => {
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'slides-ppt.eml'), '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(['effects', 'fired', 'recipients', 'reply', 'stage', 'trace', 'verdict']);
    expect(out.verdict).toBe('accept');
    expect(out.stage).toBe('data');
    expect(out.reply).toEqual({ code: 250, status: expect.any(String), text: expect.any(String) });
    // Envelope from the headers: From fred@example.net, To bob@acme.example.
    expect(out.recipients).toEqual([{ address: 'bob@acme.example', verdict: 'accept', reply: expect.objectContaining({ code: 250 }) }]);
    expect(out.fired).toContain('allow-only-safe-types');
    expect(out.effects).toContainEqual(expect.objectContaining({ type: 'stripPart', part: expect.objectContaining({ filename: 'foo.ppt' }) }));
    expect(Array.isArray(out.trace) || typeof out.trace === 'object').toBe(true);
  });

  test('the readable form shows the verdict, recipients and the trace', async () => {
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'plain.eml'), '--to', 'eve@elsewhere.example', '--to', 'bob@acme.example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ACCEPT at data/);
    expect(r.stdout).toMatch(/eve@elsewhere\.example\s+reject\s+550 5\.7\.1/);
    expect(r.stdout).toMatch(/bob@acme\.example\s+accept/);
    expect(r.stdout).toMatch(/trace:/);
    expect(r.stdout).toMatch(/our-domains-only: matched/);
  });

  test('--to takes a list as a To field is written; a `not` says whether what it negates held', async () => {
    const policy = join(tmp, 'not-small.yaml');
    writeFileSync(policy, [
      'version: 1', 'rcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [accept] } ] }',
      'data: { rules: [ { id: small, when: { not: { size: { gt: 1MB } } }, do: [ { headers: { add: { X-Small: "yes" } } } ] } ] }', '',
    ].join('\n'));
    const r = await runCli(['eval', policy, example('firebox-inbound', 'plain.eml'), '--to', 'al@acme.example, <bo@acme.example>', '--to', 'eve@elsewhere.example']);
    expect(r.stdout).toMatch(/^ {2}al@acme\.example\s+accept/m);
    expect(r.stdout).toMatch(/^ {2}bo@acme\.example\s+accept/m);
    expect(r.stdout).toMatch(/^ {2}eve@elsewhere\.example\s+reject/m);
    expect(r.stdout).toMatch(/^ {8}no {2}not\.size = \d+ vs gt 1048576\n {8}yes not: what it negates did not hold$/m);
    const bad = await runCli(['eval', policy, example('firebox-inbound', 'plain.eml'), '--to', 'al@acme.example bo@acme.example']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--to "al@acme\.example bo@acme\.example" is not an address; give one address per --to, or a list separated by commas/);
  });

  test('a file that is no message is evaluated, and said to be none', async () => {
    const empty = join(tmp, 'empty.eml');
    writeFileSync(empty, '');
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), empty, '--to', 'bob@acme.example']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`mailward eval: ${empty} is empty: not a message, evaluated as one with an empty header block`);
    const text = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), join(root, 'README.md'), '--to', 'bob@acme.example']);
    expect(text.stderr).toMatch(/README\.md has no header fields: not a message/);
    expect((await runCli(['eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'plain.eml')])).stderr).not.toMatch(/not a message/);
  });

  test('a rule after the one that ended its stage is said to be not reached once, with why', async () => {
    const r = await runCli(['eval', example('gauntlet-smap', 'policy.yaml'), example('gauntlet-smap', 'bad-header.eml'), '--client-ip', '203.0.113.30']);
    expect(r.stdout).toMatch(/^ {4}- outbound-anywhere: not reached \(rule `inbound-to-mailhub` ended the stage\)$/m);
  });

  test('a rejected session still exits 0', async () => {
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'plain.eml'), '--to', 'x@elsewhere.example', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'reject', stage: 'rcpt', reply: { code: 550 } });
  });

  test('--facts feeds scanner answers; --client-ip and --from set the envelope', async () => {
    const facts = join(tmp, 'facts.yaml');
    writeFileSync(facts, 'spam: { score: 6.3 }\n');
    const r = await runCli([
      'eval', example('endian', 'policy.yaml'), example('firebox-inbound', 'plain.eml'),
      '--client-ip', '203.0.113.9', '--from', 'offers@example.com', '--facts', facts, '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.fired).toContain('spam-mark');
    expect(out.fired).not.toContain('spam-quarantine');
    expect(out.effects).toContainEqual(expect.objectContaining({ type: 'subjectPrefix', prefix: '[SPAM] ' }));
  });

  test('eval and replay take the client test takes by default (192.0.2.10, mail.example.net); --client-hostname sets it (trial39)', async () => {
    const policy = join(tmp, 'hostname.yaml');
    writeFileSync(policy, 'version: 1\nconnect:\n  rules:\n    - id: host\n      when: { client: { hostname: "*.example.net" } }\n      do: [ { log: host } ]\nrcpt: { rules: [ { id: any, do: [ accept ] } ] }\n');
    const message = example('firebox-inbound', 'plain.eml');
    const fired = async (...flags: string[]) => JSON.parse((await runCli(['eval', policy, message, '--json', ...flags])).stdout).fired as string[];
    expect(await fired()).toContain('host');
    expect(await fired('--client-hostname', 'smtp.elsewhere.example')).not.toContain('host');
    expect(await fired('--client-ip', '203.0.113.9')).not.toContain('host');
    expect(await fired('--client-ip', '203.0.113.9', '--client-hostname', 'mx.example.net')).toContain('host');
    const replayed = async (...flags: string[]) => JSON.parse((await runCli(['replay', policy, message, '--json', ...flags])).stdout).rules[0].messages as number;
    expect(await replayed()).toBe(1);
    expect(await replayed('--client-hostname', 'smtp.elsewhere.example')).toBe(0);
    expect((await runCli(['eval', '--help'])).stdout).toMatch(/--client-hostname N +its host name/);
  }, 90_000);

  test('says the policy comes first when given a message and a policy', async () => {
    const r = await runCli(['eval', example('firebox-inbound', 'plain.eml'), example('firebox-inbound', 'policy.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the policy comes first: mailward eval \S*policy\.yaml \S*plain\.eml/);
  });

  test('says which facts it took as clean, since it asks no scanner', async () => {
    const policy = example('endian', 'policy.yaml');
    const bare = await runCli(['eval', policy, example('firebox-inbound', 'plain.eml'), '--json']);
    expect(bare.stderr).toMatch(/^mailward eval: no scanner, DNS server or greylist is asked; without --facts these were taken as clean: .*virus: none found; spam: score 0/m);
    expect(JSON.parse(bare.stdout).assumed).toEqual(expect.arrayContaining(['virus: none found', 'spam: score 0', 'greylist: pass', 'rhsbl dbl.spamhaus.example: not listed']));
    const facts = join(tmp, 'virus.yaml');
    writeFileSync(facts, 'virus: { names: [Eicar-Signature] }\n');
    const stated = await runCli(['eval', policy, example('firebox-inbound', 'plain.eml'), '--facts', facts, '--json']);
    expect(stated.stderr).toMatch(/not stated in --facts, so taken as clean: .*spam: score 0/);
    expect(JSON.parse(stated.stdout).assumed).not.toContain('virus: none found');
    expect(JSON.parse(stated.stdout).verdict).toBe('quarantine');
  });

  test('a per-part virus rule: unstated is clean for every part; --facts states what each part held (trial facts)', async () => {
    const policy = join(tmp, 'strip-virus.yaml');
    writeFileSync(policy, 'version: 1\nrcpt: { default: accept }\ndata:\n  rules:\n    - id: virus-part\n      when: { part: { virus: true } }\n      do: [ strip ]\n');
    const message = example('firebox-inbound', 'slides-ppt.eml');
    const bare = JSON.parse((await runCli(['eval', policy, message, '--json'])).stdout);
    expect(bare).toMatchObject({ verdict: 'accept', fired: [] });
    expect(bare.assumed).toContain('virus: none found');
    const facts = join(tmp, 'virus-parts.yaml');
    writeFileSync(facts, 'virus: { names: [Eicar], parts: { "2": [Eicar] } }\n');
    const stated = JSON.parse((await runCli(['eval', policy, message, '--facts', facts, '--json'])).stdout);
    expect(stated).toMatchObject({ verdict: 'accept', fired: ['virus-part'] });
    expect(stated.effects).toContainEqual(expect.objectContaining({ type: 'stripPart', part: expect.objectContaining({ path: '2' }) }));
  });

  test('--facts naming a part the message does not have is an error, not a virus in no part', async () => {
    const policy = join(tmp, 'strip-virus-2.yaml');
    writeFileSync(policy, 'version: 1\nrcpt: { default: accept }\ndata:\n  rules:\n    - id: virus-part\n      when: { part: { virus: true } }\n      do: [ strip ]\n');
    const facts = join(tmp, 'virus-part-9.yaml');
    writeFileSync(facts, 'virus: { names: [Eicar], parts: { "9": [Eicar] } }\n');
    const r = await runCli(['eval', policy, example('firebox-inbound', 'slides-ppt.eml'), '--facts', facts]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/virus-part-9\.yaml: virus\.parts names "9", which this message does not have \(its parts: 0, 1, 2\): name one of those/);
  });

  test("a quarantine's reason and whom it notifies are shown, in text and in --json", async () => {
    const policy = join(tmp, 'quarantine.yaml');
    writeFileSync(
      policy,
      'version: 1\nrcpt: { default: accept }\ndata:\n  rules:\n    - id: quarantine-virus\n      when: { virus: true }\n' +
        '      do: [ { quarantine: { reason: virus, notify: [postmaster@acme.example, sec@acme.example] } } ]\n',
    );
    const facts = join(tmp, 'eicar.yaml');
    writeFileSync(facts, 'virus: { names: [Eicar-Signature] }\n');
    const message = example('firebox-inbound', 'plain.eml');
    const text = await runCli(['eval', policy, message, '--facts', facts]);
    expect(text.stdout).toMatch(/^QUARANTINE at data: 250 [^\n]*\n {2}quarantine reason virus, notify postmaster@acme\.example, sec@acme\.example\n {2}client /);
    const json = JSON.parse((await runCli(['eval', policy, message, '--facts', facts, '--json'])).stdout);
    expect(json).toMatchObject({ verdict: 'quarantine', stage: 'data', quarantine: { reason: 'virus', notify: ['postmaster@acme.example', 'sec@acme.example'] } });
    writeFileSync(policy, 'version: 1\nrcpt: { default: accept }\ndata: { rules: [ { id: hold, do: [ { quarantine: { forward: q@acme.example } } ] } ] }\n');
    const forwarded = await runCli(['eval', policy, message]);
    expect(forwarded.stdout).toMatch(/^ {2}quarantine reason hold, notify \(nobody\), sent to the quarantine mailbox q@acme\.example$/m);
    const accepted = JSON.parse((await runCli(['eval', example('firebox-inbound', 'policy.yaml'), message, '--json'])).stdout);
    expect(accepted).not.toHaveProperty('quarantine');
  });

  test('--out writes the rewritten message', async () => {
    const out = join(tmp, 'out.eml');
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'slides-ppt.eml'), '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ out, changes: expect.any(Array) });
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('[Attachment denied by mailward policy (type "application/octet-stream", filename "foo.ppt")]');
    expect(text).not.toContain('0M8R4KGxGuE');
    const readable = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'plain.eml'), '--out', out]);
    expect(readable.stdout).toMatch(/header-removed \(header-allowlist\) name="X-Mailer"/);
    expect(readFileSync(out, 'utf8')).not.toMatch(/^X-Mailer:/m);
  });

  test('--out never touches another file on its way: a message named OUT.part survives, and no temporary file is left', async () => {
    const dir = mkdtempSync(join(tmp, 'part-'));
    const message = join(dir, 'm.eml.part');
    const original = readFileSync(example('firebox-inbound', 'plain.eml'));
    writeFileSync(message, original);
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), message, '--out', join(dir, 'm.eml')]);
    expect(r.code).toBe(0);
    expect(readFileSync(message).equals(original)).toBe(true);
    expect(readFileSync(join(dir, 'm.eml'), 'utf8')).toContain('Subject:');
    expect(readdirSync(dir).sort()).toEqual(['m.eml', 'm.eml.part']);
  });

  test('--out: effects that change nothing leave the message byte for byte; one that changes it leaves no line over 998', async () => {
    const policy = join(tmp, 'prefix.yaml');
    writeFileSync(policy, 'version: 1\nrcpt: { default: accept }\ndata: { rules: [ { id: p, do: [ { subject: { prefix: "[EXT] " } } ] } ] }\n');
    const message = (subject: string) => `From: a@outside.example\r\nTo: bob@acme.example\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<p>${'q'.repeat(1500)}</p>\r\n`;
    const prefixed = join(tmp, 'prefixed.eml');
    writeFileSync(prefixed, message('[EXT] hi'));
    const out = join(tmp, 'prefixed-out.eml');
    const same = await runCli(['eval', policy, prefixed, '--out', out, '--json']);
    expect(JSON.parse(same.stdout)).toMatchObject({ out, changes: [] });
    expect(readFileSync(out, 'latin1')).toBe(message('[EXT] hi'));
    const plain = join(tmp, 'unprefixed.eml');
    writeFileSync(plain, message('hi'));
    const changed = JSON.parse((await runCli(['eval', policy, plain, '--out', out, '--json'])).stdout);
    expect(changed.changes).toEqual([{ kind: 'subject-prefixed', rule: 'p' }, { kind: 'part-reencoded', path: '0', encoding: 'quoted-printable' }]);
    const text = readFileSync(out, 'latin1');
    expect(Math.max(...text.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    // The encoding field goes at the end of the header block, not above From.
    expect(text.split('\r\n\r\n')[0]).toBe('From: a@outside.example\r\nTo: bob@acme.example\r\nSubject: [EXT] hi\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable');
  });

  test("--out keys masqueraded Message-IDs as mailward test does, so the file can be a case's expect.output", async () => {
    const out = join(tmp, 'masqueraded.eml');
    const message = example('firebox-outbound', 'outgoing.eml');
    const r = await runCli(['eval', example('firebox-outbound', 'policy.yaml'), message, '--client-ip', '10.0.0.10', '--out', out, '--json']);
    expect(readFileSync(out, 'utf8')).toMatch(/^Message-ID: <[0-9a-f]+@acme\.example>/m);
    expect(readFileSync(out)).toEqual(await deliveredBytes(readFileSync(message), JSON.parse(r.stdout).effects));
  });

  test('--out writes nothing when nothing is delivered (reject, tempfail, drop, quarantine), and says why', async () => {
    const out = join(tmp, 'undelivered.eml');
    writeFileSync(out, 'left by an earlier run');
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), example('firebox-inbound', 'plain.eml'), '--to', 'x@elsewhere.example', '--out', out, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'reject', out: null, outReason: expect.stringMatching(/rejected: nothing is delivered/) });
    expect(JSON.parse(r.stdout)).not.toHaveProperty('changes');
    expect(r.stderr).toMatch(/--out: nothing written to .*undelivered\.eml: the message is rejected: nothing is delivered; removed/);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
    const policy = join(tmp, 'drop.yaml');
    writeFileSync(policy, 'version: 1\nrcpt: { default: accept }\ndata: { rules: [ { id: d, do: [ drop ] } ] }\n');
    const readable = await runCli(['eval', policy, example('firebox-inbound', 'plain.eml'), '--out', out]);
    expect(readable.stdout).toMatch(/^DROP at data/);
    expect(readable.stdout).not.toMatch(/rewritten message written/);
    expect(readable.stderr).toMatch(/accepted and discarded \(drop\): nothing is delivered\n$/);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  test('--out refuses to overwrite the message being evaluated', async () => {
    const message = join(tmp, 'self.eml');
    writeFileSync(message, readFileSync(example('firebox-inbound', 'plain.eml')));
    const r = await runCli(['eval', example('firebox-inbound', 'policy.yaml'), message, '--out', message]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the message being evaluated/);
    expect(readFileSync(message)).toEqual(readFileSync(example('firebox-inbound', 'plain.eml')));
  });

  test('bad usage exits 2; an unreadable message or bad policy exits 1', async () => {
    const policy = example('firebox-inbound', 'policy.yaml');
    expect((await runCli(['eval', policy])).code).toBe(2);
    expect((await runCli(['eval', policy, example('firebox-inbound', 'plain.eml'), '--direction', 'sideways'])).code).toBe(2);
    const missing = await runCli(['eval', policy, join(tmp, 'missing.eml')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read message .*missing\.eml: ENOENT/);
    const badPolicy = join(tmp, 'bad-policy.yaml');
    writeFileSync(badPolicy, 'version: 7\n');
    const bad = await runCli(['eval', badPolicy, example('firebox-inbound', 'plain.eml')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad-policy\.yaml is not a valid policy/);
  });
});

describe('mailward test', () => {
  test('the examples pass, with a jest-like summary', async () => {
    const r = await runCli(['test', join(root, 'examples')], root);
    expect(r.stdout).toMatch(/^PASS examples\/firebox-inbound\/policy\.yaml/m);
    expect(r.stdout).toMatch(/Suites: 5 passed, 5 total/);
    expect(r.code).toBe(0);
  });

  test('a failing case exits 1 and says what differed, where', async () => {
    const dir = join(tmp, 'suite');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'policy.yaml'),
      'version: 1\nrcpt:\n  rules:\n    - id: ours\n      when: { recipient: { domain: acme.example } }\n      do: [ accept ]\n',
    );
    writeFileSync(
      join(dir, 'policy.test.yaml'),
      [
        'tests:',
        '  - name: ours is accepted',
        '    envelope: { to: [a@acme.example] }',
        '    expect: { verdict: accept, fired: [ours] }',
        '  - name: wrongly expects a relay',
        '    envelope: { to: [a@elsewhere.example] }',
        '    expect: { verdict: accept }',
        '  - name: a typo',
        '    envelope: { to: [b@acme.example] }',
        '    expect: { verdict: accept, firred: [ours] }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['test', dir], tmp);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL suite\/policy\.yaml \(3 cases\)/m);
    expect(r.stdout).toMatch(/FAIL wrongly expects a relay {2}\(suite\/policy\.test\.yaml:5\)/);
    expect(r.stdout).toMatch(/verdict: expected accept, got reject at rcpt/);
    expect(r.stdout).toMatch(/policy\.test\.yaml:10:\d+: unknown key `firred` in `expect`/);
    expect(r.stdout).toMatch(/Cases: {2}2 failed, 1 passed, 3 total/);
  });

  test('a per-part virus rule: a case that states no virus passes clean, and `parts` says which part is infected (trial facts)', async () => {
    const dir = join(tmp, 'partvirus');
    mkdirSync(dir);
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nrcpt: { default: accept }\ndata:\n  rules:\n    - id: virus-part\n      when: { part: { virus: true } }\n      do: [ { strip: { notice: removed } } ]\n');
    const attached = '    message: { attachments: [ { name: eicar.com, type: application/octet-stream, content: x } ] }';
    writeFileSync(
      join(dir, 'policy.test.yaml'),
      [
        'tests:',
        '  - name: clean mail passes',
        '    envelope: { to: [bob@acme.example] }',
        '    expect: { verdict: accept, fired: [] }',
        '  - name: the infected part is stripped',
        '    envelope: { to: [bob@acme.example] }',
        attached,
        '    facts: { virus: { names: [Eicar], parts: { "2": [Eicar] } } }',
        '    expect: { verdict: accept, fired: [virus-part], effects: [ { type: stripPart, notice: removed } ] }',
        '  - name: found in the message, in no part',
        '    envelope: { to: [bob@acme.example] }',
        attached,
        '    facts: { virus: { names: [Eicar] } }',
        '    expect: { verdict: tempfail, fired: [] }',
        '  - name: a part path of another message',
        '    envelope: { to: [bob@acme.example] }',
        attached,
        '    facts: { virus: { names: [Eicar], parts: { "3": [Eicar] } } }',
        '    expect: { verdict: tempfail, fired: [] }',
        '',
      ].join('\n'),
    );
    const r = await runCli(['test', dir], tmp);
    expect(r.stdout).toMatch(/FAIL a part path of another message[^\n]*\n[^\n]*facts: virus\.parts names "3", which this message does not have \(its parts: 0, 1, 2\): name one of those/);
    expect(r.stdout).toMatch(/Cases: {2}1 failed, 3 passed, 4 total/);
    expect(r.code).toBe(1);
  });

  test("a policy's own tests: run, and check accepts them", async () => {
    const file = join(tmp, 'own.yaml');
    writeFileSync(
      file,
      'version: 1\nrcpt:\n  rules:\n    - id: ours\n      when: { recipient: { domain: acme.example } }\n      do: [ accept ]\n' +
        'tests:\n  - name: ours\n    envelope: { to: [a@acme.example] }\n    expect: { verdict: accept, fired: [ours] }\n',
    );
    const r = await runCli(['test', file], tmp);
    expect(r.stdout).toMatch(/^PASS own\.yaml \(1 case\)/m);
    expect(r.code).toBe(0);
    expect((await runCli(['check', file])).code).toBe(0);
  });

  test('a rule no case fires is a warning, and a failure with --strict', async () => {
    const file = join(tmp, 'partial.yaml');
    writeFileSync(
      file,
      'version: 1\nrcpt:\n  rules:\n    - id: ours\n      when: { recipient: { domain: acme.example } }\n      do: [ accept ]\n' +
        '    - id: theirs\n      when: { recipient: { domain: partner.example } }\n      do: [ accept ]\n' +
        'tests:\n  - name: ours\n    envelope: { to: [a@acme.example] }\n    expect: { verdict: accept }\n',
    );
    const lenient = await runCli(['test', file, '--verbose'], tmp);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/ok {3}ours/);
    expect(lenient.stdout).toMatch(/warn rules no case fires: theirs/);
    const strict = await runCli(['test', file, '--strict'], tmp);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/FAIL rules no case fires: theirs/);
  });

  test('a path with no cases exits 1', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const r = await runCli(['test', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no test cases found/);
  });
});

describe('mailward serve --config', () => {
  test('a gateway.yaml with mistakes: exit 1, each with file:line:col, no stack trace', async () => {
    const file = join(tmp, 'gateway.yaml');
    writeFileSync(file, 'listeners:\n  - listen: "127.0.0.1:0"\n    tsl: { key: k.pem, cert: c.pem }\ndelivery: { mode: smpt }\n');
    const r = await runCli(['serve', '--config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/gateway\.yaml:3:5: .*`tsl`; did you mean `tls`\?/);
    expect(r.stderr).toMatch(/gateway\.yaml:4:\d+: \/delivery\/mode must be equal to one of the allowed values: smtp, maildir/);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
