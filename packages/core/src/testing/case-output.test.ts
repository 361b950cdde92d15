import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy } from '../policy/load';
import type { ExpectedOutput, PolicyCase } from './case';
import { checkCase } from './case-schema';
import { runCase } from './run-case';

const policy = loadPolicy(`version: 1
rcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }
data:
  rules:
    - id: no-bat
      when: { part: { filename: "*.bat" } }
      do: [ { strip: { notice: "removed {filename}" } } ]
    - id: tag
      do: [ { subject: { prefix: "[EXT] " } }, { headers: { remove: [X-Mailer] } } ]
`, 'p.yaml');

const message = { raw: 'From: a@example.net\nTo: bob@acme.example\nSubject: hi\nX-Mailer: x\n\nhello\n' };
const effects = [{ type: 'subjectPrefix' }, { type: 'removeHeaders' }];
const delivered = 'From: a@example.net\nTo: bob@acme.example\nSubject: [EXT] hi\n\nhello\n';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-output-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (expectOutput: string | ExpectedOutput, extra: Partial<PolicyCase> = {}) =>
  runCase(policy, { name: 'c', message, ...extra, expect: { verdict: 'accept', effects, output: expectOutput } }, { baseDir: dir }).then((r) => r.failures);

describe('a case states the message as delivered', () => {
  it('compares an .eml file whole, line ends aside, and names the first line that differs', async () => {
    writeFileSync(join(dir, 'good.eml'), delivered);
    writeFileSync(join(dir, 'crlf.eml'), delivered.replace(/\n/g, '\r\n'));
    writeFileSync(join(dir, 'bad.eml'), delivered.replace('[EXT] hi', 'hi'));
    expect(await run('good.eml')).toEqual([]);
    expect(await run('crlf.eml')).toEqual([]);
    // Saved by an editor without the last line end (trial K): the same message.
    writeFileSync(join(dir, 'no-last-eol.eml'), delivered.replace(/\n$/, ''));
    expect(await run('no-last-eol.eml')).toEqual([]);
    writeFileSync(join(dir, 'short.eml'), delivered.replace('hello\n', ''));
    expect(await run('short.eml')).toEqual(['output: differs from short.eml at line 5: expected (end of message), got "hello"']);
    expect(await run('bad.eml')).toEqual(['output: differs from bad.eml at line 3: expected "Subject: hi", got "Subject: [EXT] hi"']);
    expect(await run('none.eml')).toEqual([expect.stringMatching(/^output: cannot read .*none\.eml \(ENOENT\); for an accepted message, `mailward eval POLICY MESSAGE --out FILE` writes one/)]);
  });

  it('checks text the message must and must not hold', async () => {
    const bat = {
      raw: 'From: a@example.net\nTo: bob@acme.example\nSubject: hi\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Type: application/octet-stream; name="run.bat"\nContent-Transfer-Encoding: base64\n\nQGVjaG8gb2Zm\n--b--\n',
    };
    const batEffects = [{ type: 'stripPart' }, { type: 'subjectPrefix' }, { type: 'removeHeaders' }];
    const failures = (output: string | ExpectedOutput) =>
      runCase(policy, { name: 'c', message: bat, expect: { verdict: 'accept', effects: batEffects, output } }, { baseDir: dir }).then((r) => r.failures);
    expect(await failures({ contains: ['removed run.bat', 'Subject: [EXT] hi'], lacks: ['QGVjaG8gb2Zm'] })).toEqual([]);
    expect(await failures({ contains: ['name="run.bat"\nContent-Transfer-Encoding: base64'], lacks: ['removed'] })).toEqual([
      'output: expected it to contain "name=\\"run.bat\\"\\nContent-Transfer-Encoding: base64"',
      'output: expected it not to contain "removed"',
    ]);
  });

  it('looks for the text in the decoded bodies and headers too, so a lacks of encoded text checks something (trial39)', async () => {
    const inline = { headers: { To: 'bob@acme.example' }, text: 'the body text here' };
    const check = (msg: NonNullable<PolicyCase['message']>, output: ExpectedOutput) =>
      runCase(policy, { name: 'c', message: msg, expect: { verdict: 'accept', effects, output } }, { baseDir: dir }).then((r) => r.failures);
    expect(await check(inline, { contains: ['the body text'] })).toEqual([]);
    expect(await check(inline, { lacks: ['body text'] })).toEqual(['output: expected it not to contain "body text"']);
    const encoded = {
      raw: 'From: a@example.net\nTo: bob@acme.example\nSubject: =?utf-8?B?' + Buffer.from('Grüße').toString('base64') + '?=\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n' +
        Buffer.from('secret plan inside').toString('base64') + '\n--b\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n<p>caf=E9 au=\n lait</p>\n--b--\n',
    };
    expect(await check(encoded, { contains: ['secret plan', 'café au lait', 'Subject: [EXT] Grüße'] })).toEqual([]);
    expect(await check(encoded, { lacks: ['secret plan', 'au lait', 'X-Mailer'] })).toEqual([
      'output: expected it not to contain "secret plan"',
      'output: expected it not to contain "au lait"',
    ]);
  });

  it('refuses an empty contains or lacks, which would check nothing', () => {
    expect(checkCase({ name: 'c', expect: { verdict: 'accept', output: { contains: [] } } }).map((p) => p.message)).toEqual([expect.stringMatching(/must NOT have fewer than 1 items/)]);
  });

  it('says so when the message was refused, and nothing was delivered', async () => {
    const failures = await runCase(policy, { name: 'c', envelope: { to: 'x@elsewhere.example' }, message, expect: { verdict: 'reject', output: { contains: ['x'] } } }, { baseDir: dir });
    expect(failures.failures).toEqual(['output: the message was not taken (reject), so nothing is delivered to compare']);
    const drops = loadPolicy('version: 1\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\ndata: { rules: [ { id: d, do: [ drop ] } ] }\n', 'd.yaml');
    const dropped = await runCase(drops, { name: 'c', message, expect: { verdict: 'drop', output: { contains: ['hello'] } } }, { baseDir: dir });
    expect(dropped.failures).toEqual(['output: the message is discarded (drop), so nothing is delivered to compare']);
  });
});
