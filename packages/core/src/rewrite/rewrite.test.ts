import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Effect, PartRef } from '../engine/effect';
import { analyze } from '../message/analyze';
import type { RewriteChange } from './change';
import { rewrite } from './rewrite';

const crlf = (lines: string[]): Buffer => Buffer.from(lines.join('\r\n'));

async function run(message: Buffer, effects: Effect[], secret = 's3cret'): Promise<{ out: Buffer; changes: RewriteChange[] }> {
  const stream = rewrite(Readable.from([message]), effects, { secret });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks), changes: stream.changes };
}

const headerBlock = (out: Buffer): string => out.toString('latin1').split('\r\n\r\n')[0]!;
const ref = (carrier: string, type = 'application/octet-stream', filename?: string): PartRef => ({
  path: carrier, carrier, type, size: 1, ...(filename ? { filename } : {}),
});

const MIXED = crlf([
  'From: "Penny =?utf-8?Q?P=C3=A9?=" <penny@dimension.acme.example>',
  'To: team: al@smtp.weirdal.com, "x@y" <bob@smtp.weirdal.com>;',
  'Subject: hello',
  'Message-ID: <123.abc@mail.dimension.acme.example>',
  'In-Reply-To: <9@elsewhere.example> <7@hub.acme.example>',
  'X-Internal: secret',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  'preamble',
  '--b1',
  'Content-Type: text/html; charset=utf-8',
  'Content-Transfer-Encoding: quoted-printable',
  '',
  '<p onclick=3D"x()">h=C3=A9</p><script>alert(1)</script>ok',
  '--b1',
  'Content-Type: application/octet-stream; name="a.exe"',
  'Content-Transfer-Encoding: base64',
  '',
  'TVqQAAMAAAAEAAAA',
  '--b1',
  'Content-Type: text/plain',
  '',
  'benign',
  '--b1--',
  'epilogue',
  '',
]);

describe('rewrite: no effects', () => {
  const dir = join(__dirname, '../../../../examples');
  const fixtures = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml'));
  it.each([['inline sample', MIXED] as const, ...fixtures.map((f) => [f, readFileSync(join(dir, f))] as const)])(
    '%s comes out byte-identical',
    async (_name, message) => {
      const { out, changes } = await run(message, []);
      expect(out.equals(message)).toBe(true);
      expect(changes).toEqual([]);
    },
  );

  it('passes a read error of the input on to the reader, on both paths', async () => {
    for (const effects of [[], [{ type: 'dropPart', rule: 'd', part: ref('2') }]] as Effect[][]) {
      const input = new Readable({ read() { this.destroy(new Error('disk gone')); } });
      const out = rewrite(input, effects);
      await expect((async () => { for await (const _ of out) void _; })()).rejects.toThrow('disk gone');
    }
  });

  it('ignores envelope effects', async () => {
    const { out } = await run(MIXED, [
      { type: 'bcc', rule: 'r', address: 'a@b.example' },
      { type: 'route', rule: 'r', via: ['hub'] },
      { type: 'rewriteSender', rule: 'r', from: 'a@b', to: 'c@d' },
    ]);
    expect(out.equals(MIXED)).toBe(true);
  });

  it('leaves even a message with LF line ends and long lines alone when only envelope effects and logs apply', async () => {
    const odd = Buffer.from(`From: a@b.example\nSubject: hi\n\n${'x'.repeat(1200)}\r\nend\n`);
    const { out, changes } = await run(odd, [{ type: 'log', rule: 'r', text: 'seen' }, { type: 'bcc', rule: 'r', address: 'a@b.example' }]);
    expect(out.equals(odd)).toBe(true);
    expect(changes).toEqual([]);
  });
});

describe('rewrite: headers', () => {
  it('removes by case-insensitive pattern and reports each field', async () => {
    const { out, changes } = await run(MIXED, [{ type: 'removeHeaders', rule: 'hdr', names: ['x-*', 'IN-REPLY-TO'] }]);
    expect(headerBlock(out)).not.toMatch(/X-Internal|In-Reply-To/i);
    expect(changes).toEqual([
      { kind: 'header-removed', rule: 'hdr', name: 'In-Reply-To' },
      { kind: 'header-removed', rule: 'hdr', name: 'X-Internal' },
    ]);
    // the body is untouched
    expect(out.subarray(out.indexOf('\r\n\r\n')).equals(MIXED.subarray(MIXED.indexOf('\r\n\r\n')))).toBe(true);
  });

  it('takes re: header-name patterns, searched in the name as the header condition searches, case-insensitively', async () => {
    const { out, changes } = await run(MIXED, [{ type: 'removeHeaders', rule: 'r', names: ['re:x-(internal|nothing)'] }]);
    expect(headerBlock(out)).not.toContain('X-Internal');
    expect(changes).toEqual([{ kind: 'header-removed', rule: 'r', name: 'X-Internal' }]);
    expect((await run(MIXED, [{ type: 'removeHeaders', rule: 'r', names: ['re:internal'] }])).changes).toEqual([{ kind: 'header-removed', rule: 'r', name: 'X-Internal' }]);
    expect((await run(MIXED, [{ type: 'removeHeaders', rule: 'r', names: ['re:^internal'] }])).changes).toEqual([]);
  });

  it('keeps only the allowlist and reports the rest', async () => {
    const { out, changes } = await run(MIXED, [{ type: 'keepHeaders', rule: 'allow', names: ['from', 'to', 'subject', 'mime-version', 'content-*'] }]);
    const names = headerBlock(out).split('\r\n').filter((l) => !/^[ \t]/.test(l)).map((l) => l.split(':')[0]);
    expect(names).toEqual(['From', 'To', 'Subject', 'MIME-Version', 'Content-Type']);
    expect(changes.map((c) => c.kind === 'header-removed' && c.name)).toEqual(['Message-ID', 'In-Reply-To', 'X-Internal']);
  });

  it('adds a field at the top', async () => {
    const { out } = await run(MIXED, [{ type: 'addHeader', rule: 'a', name: 'X-Scanned', value: 'yes' }]);
    expect(out.toString().startsWith('X-Scanned: yes\r\nFrom:')).toBe(true);
  });

  it('rewrites addresses one by one keeping display names, groups and encoded words (& and &1)', async () => {
    const { out, changes } = await run(MIXED, [
      { type: 'rewriteHeader', rule: 'fw1', header: 'to', match: '*@smtp.weirdal.com', to: '&@weirdal.com' },
      { type: 'rewriteHeader', rule: 'fw1', header: 'from', match: '*@*.acme.example', to: '&1+&2\\&@acme.example' },
    ]);
    const head = headerBlock(out);
    expect(head).toContain('To: team: al@weirdal.com, "x@y" <bob@weirdal.com>;');
    expect(head).toContain('From: "Penny =?utf-8?Q?P=C3=A9?=" <penny+dimension&@acme.example>');
    expect(changes).toHaveLength(2);
  });

  it('rewrites a non-address header as a whole value, and an empty target removes it', async () => {
    const { out } = await run(MIXED, [
      { type: 'rewriteHeader', rule: 'r', header: 'subject', match: 'hel*', to: 'HEL&' },
      { type: 'rewriteHeader', rule: 'r', header: 'x-internal', match: '*', to: '' },
    ]);
    expect(headerBlock(out)).toContain('Subject: HELlo');
    expect(headerBlock(out)).not.toContain('X-Internal');
  });

  it('masquerades addresses of our subdomains and hashes our message ids', async () => {
    const effect: Effect = { type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['from', 'to'], messageId: true };
    const first = headerBlock((await run(MIXED, [effect])).out);
    const again = headerBlock((await run(MIXED, [effect])).out);
    const other = headerBlock((await run(MIXED, [effect], 'other-key')).out);
    expect(first).toContain('<penny@acme.example>');
    expect(first).toContain('al@smtp.weirdal.com'); // not our domain
    expect(first).not.toMatch(/dimension|mail\.|hub\./);
    expect(first).toMatch(/Message-ID: <[0-9a-f]{32}@acme\.example>/);
    expect(first).toMatch(/In-Reply-To: <9@elsewhere\.example>\s+<[0-9a-f]{32}@acme\.example>/);
    expect(again).toBe(first); // stable
    expect(other).not.toBe(first); // keyed
    // idempotent: a message masqueraded once (a reply passing out again) keeps its hashed ids
    const twice = headerBlock((await run((await run(MIXED, [effect])).out, [effect])).out);
    expect(twice).toBe(first);
  });

  it('hashes our ids in In-Reply-To and References written without <> or without their >, as in Message-ID', async () => {
    const message = crlf(['From: penny@dimension.acme.example', 'Message-ID: abc@dimension.acme.example', 'In-Reply-To: <x1@dimension.acme.example',
      'References: r1@dimension.acme.example r2@PENNY-PC <r3@dimension.acme.example>', '', 'b', '']);
    const effect: Effect = { type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['from'], messageId: true };
    const head = headerBlock((await run(message, [effect])).out).replace(/\r\n[ \t]+/g, ' ');
    expect(head).not.toMatch(/dimension|PENNY/);
    expect(head).toMatch(/^In-Reply-To: <[0-9a-f]{32}@acme\.example>$/m);
    expect(head).toMatch(/^References: <[0-9a-f]{32}@acme\.example> <[0-9a-f]{32}@acme\.example> <[0-9a-f]{32}@acme\.example>$/m);
    // A reply to the message names the id it went out with.
    const sent = /^Message-ID: (.*)$/m.exec(head)![1]!;
    const reply = headerBlock((await run(crlf(['From: bob@example.net', 'References: <abc@dimension.acme.example>', '', 'b', '']), [effect])).out);
    expect(reply).toContain(`References: ${sent}`);
  });

  it('prefixes the subject once, also when it is an encoded word', async () => {
    const encoded = Buffer.from(MIXED.toString('latin1').replace('Subject: hello', 'Subject: =?utf-8?B?W0VYVF0gaMOpbGxv?='), 'latin1');
    const prefix: Effect = { type: 'subjectPrefix', rule: 'p', prefix: '[EXT] ' };
    expect(headerBlock((await run(MIXED, [prefix])).out)).toContain('Subject: [EXT] hello');
    const { out, changes } = await run(encoded, [prefix]);
    expect(out.equals(encoded)).toBe(true);
    expect(changes).toEqual([]);
    const twice = await run((await run(MIXED, [prefix])).out, [prefix]);
    expect(twice.changes).toEqual([]);
  });
});

describe('rewrite: fields the rewriter writes', () => {
  it('go after the fields a header block has, not above From', async () => {
    const message = Buffer.from(`From: a@outside.example\r\nTo: b@acme.example\r\nSubject: hi\r\n\r\n${'caf\u00e9 '.repeat(300)}\r\n`);
    const { out, changes } = await run(message, [{ type: 'subjectPrefix', rule: 'p', prefix: '[EXT] ' }]);
    expect(headerBlock(out).split('\r\n')).toEqual([
      'From: a@outside.example', 'To: b@acme.example', 'Subject: [EXT] hi',
      'Content-Transfer-Encoding: quoted-printable', 'Content-Type: text/plain; charset=utf-8', 'MIME-Version: 1.0',
    ]);
    expect(changes).toEqual([{ kind: 'subject-prefixed', rule: 'p' }, { kind: 'part-reencoded', path: '0', encoding: 'quoted-printable' }]);
    // in a part: after its Content-Type; a field it has is changed where it stands
    const parts = crlf(['Subject: x', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', 'Content-Disposition: inline', '', 'z'.repeat(1200),
      '--b', 'Content-Transfer-Encoding: 8bit', 'Content-Type: text/plain', '', 'y'.repeat(1200), '--b--', '']);
    const text = (await run(parts, [{ type: 'subjectPrefix', rule: 'p', prefix: '[EXT] ' }])).out.toString();
    expect(text).toContain('--b\r\nContent-Type: text/plain\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nzzz');
    expect(text).toContain('--b\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain\r\n\r\nyyy');
  });
});

describe('rewrite: parts', () => {
  it('keeps raw UTF-8 header bytes and writes policy text as UTF-8 in addresses, in encoded words elsewhere (an 8-bit header is not mangled)', async () => {
    const message = Buffer.from('From: "Renée" <penny@dimension.acme.example>\r\nSubject: Grüße\r\nTo: al@smtp.weirdal.com\r\n\r\nhi\r\n', 'utf8');
    const { out } = await run(message, [
      { type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['From'], messageId: false },
      { type: 'rewriteHeader', rule: 'r', header: 'To', match: '*@smtp.weirdal.com', to: '&@wéirdal.example' },
      { type: 'addHeader', rule: 'a', name: 'X-Checked', value: 'geprüft' },
      { type: 'subjectPrefix', rule: 'p', prefix: '[ÉXT] ' },
    ]);
    expect(out.toString('utf8')).toBe('X-Checked: =?UTF-8?Q?gepr=C3=BCft?=\r\nFrom: "Renée" <penny@acme.example>\r\nSubject: =?UTF-8?Q?=5B=C3=89XT=5D?= Grüße\r\nTo: al@wéirdal.example\r\n\r\nhi\r\n');
  });

  it('replaces a stripped part with a text/plain notice and keeps the others byte-identical', async () => {
    const { out, changes } = await run(MIXED, [{ type: 'stripPart', rule: 'exe', part: ref('2', 'application/octet-stream', 'a.exe'), notice: 'a.exe removed' }]);
    const model = await analyze(Readable.from([out]));
    expect(model.malformed).toEqual((await analyze(Readable.from([MIXED]))).malformed);
    expect(model.parts.map((p) => [p.path, p.type])).toEqual([['0', 'multipart/mixed'], ['1', 'text/html'], ['2', 'text/plain'], ['3', 'text/plain']]);
    const text = out.toString('latin1');
    expect(text).toContain('--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\nContent-Disposition: inline\r\n\r\na.exe removed\r\n--b1\r\n');
    expect(text).not.toContain('TVqQ');
    expect(text).toContain('\r\n\r\nbenign\r\n--b1--\r\nepilogue\r\n');
    expect(changes).toEqual([{ kind: 'part-stripped', rule: 'exe', path: '2', type: 'application/octet-stream', filename: 'a.exe' }]);
  });

  it('strips a part whose header block the next delimiter cuts short, lines that are no field included', async () => {
    const message = crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: application/octet-stream; name=cut.exe', 'X-Note: kept', 'Content-Transfer-Encoding: base64', 'TVqQAAMAAAAE', '--b', 'Content-Type: text/plain', '', 'kept', '--b--', '']);
    const { out, changes } = await run(message, [{ type: 'stripPart', rule: 'exe', part: ref('1', 'application/octet-stream', 'cut.exe'), notice: 'removed' }]);
    expect(out.toString()).toBe(crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'X-Note: kept', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', 'Content-Disposition: inline', '', 'removed', '--b', 'Content-Type: text/plain', '', 'kept', '--b--', '']).toString());
    expect(changes).toEqual([{ kind: 'part-stripped', rule: 'exe', path: '1', type: 'application/octet-stream', filename: 'cut.exe' }]);
  });

  it('closes a multipart the input left open and ends the last line, when it changed the message', async () => {
    const message = crlf(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: application/octet-stream; name=a.exe', '', 'MZ', '--b', 'Content-Type: text/plain', '', 'kept']);
    const { out, changes } = await run(message, [{ type: 'stripPart', rule: 'exe', part: ref('1'), notice: 'removed' }]);
    expect(out.toString().endsWith('\r\nkept\r\n--b--\r\n')).toBe(true);
    expect(changes).toContainEqual({ kind: 'multipart-closed', path: '0' });
    expect((await analyze(Readable.from([out]))).malformed).toEqual([]);
  });

  it('closes an inner multipart left open before the outer delimiter that ends it, not in the epilogue', async () => {
    const inner = ['--o', 'Content-Type: multipart/mixed; boundary=i', '', '--i', 'Content-Type: text/plain', '', 'hi', '--i', 'Content-Type: application/octet-stream; name=a.exe', '', 'MZ'];
    for (const [rest, expected] of [
      [['--o', 'Content-Type: text/plain', '', 'kept', '--o--', ''], '\r\nremoved\r\n--i--\r\n--o\r\nContent-Type: text/plain\r\n\r\nkept\r\n--o--\r\n'],
      [['--o--', 'epilogue', ''], '\r\nremoved\r\n--i--\r\n--o--\r\nepilogue\r\n'],
    ] as const) {
      const message = crlf(['Content-Type: multipart/mixed; boundary=o', '', ...inner, ...rest]);
      const { out, changes } = await run(message, [{ type: 'stripPart', rule: 'exe', part: ref('1.2'), notice: 'removed' }]);
      expect(out.toString().endsWith(expected)).toBe(true);
      expect(changes).toContainEqual({ kind: 'multipart-closed', path: '1' });
      expect((await analyze(Readable.from([out]))).malformed).toEqual([]);
    }
  });

  it('leaves alone an inner multipart the sender closed, as the last part, however the input is cut', async () => {
    // `--i--` and `--o--` come in one data chunk: the inner one was closed before the outer line.
    const message = crlf([
      'Subject: t', 'Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: text/plain', '', 'hi',
      '--o', 'Content-Type: multipart/mixed; boundary=i', '', '--i', 'Content-Type: text/plain', '', 'inner', '--i--', '--o--', '',
    ]);
    const body = message.subarray(message.indexOf('\r\n\r\n'));
    for (let cut = 0; cut < message.length; cut += 7) {
      const chunks = cut === 0 ? [message] : [message.subarray(0, cut), message.subarray(cut)];
      const out = rewrite(Readable.from(chunks), [{ type: 'subjectPrefix', rule: 'p', prefix: '[EXT] ' }]);
      const bytes: Buffer[] = [];
      for await (const c of out) bytes.push(c as Buffer);
      const text = Buffer.concat(bytes);
      expect(text.subarray(text.indexOf('\r\n\r\n')).equals(body)).toBe(true);
      expect(out.changes).toEqual([{ kind: 'subject-prefixed', rule: 'p' }]);
    }
  });

  it('writes a message past mailsplit\'s own limits (1001 parts, a 2 MiB header block), which analysis reports as limits', async () => {
    const parts = Array.from({ length: 1001 }, (_, i) => ['--o', 'Content-Type: text/plain', '', `part ${i}`]).flat();
    const many = crlf(['Subject: t', 'Content-Type: multipart/mixed; boundary=o', '', ...parts, '--o--', '']);
    expect((await analyze(Readable.from([many]))).malformed.map((m) => m.kind)).toContain('limits');
    const big = crlf(['Subject: t', ...Array.from({ length: 2200 }, (_, i) => `X-Filler-${i}: ${'f'.repeat(950)}`), '', 'body', '']);
    for (const message of [many, big]) {
      const { out, changes } = await run(message, [{ type: 'subjectPrefix', rule: 'p', prefix: '[EXT] ' }]);
      expect(changes).toEqual([{ kind: 'subject-prefixed', rule: 'p' }]);
      expect(out.toString('latin1')).toBe(message.toString('latin1').replace('Subject: t', 'Subject: [EXT] t'));
    }
  });

  it('keeps an empty part in an inner multipart left open whose every child was dropped', async () => {
    const message = crlf(['Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: multipart/mixed; boundary=i', '', '--i', 'Content-Type: application/octet-stream; name=a.exe', '', 'MZ', '--o', 'Content-Type: text/plain', '', 'kept', '--o--', '']);
    const { out } = await run(message, [{ type: 'dropPart', rule: 'd', part: ref('1.1') }]);
    const model = await analyze(Readable.from([out]));
    expect(out.toString()).not.toContain('MZ');
    expect(model.parts.map((p) => p.path)).toEqual(['0', '1', '1.1', '2']);
    expect(model.malformed).toEqual([]);
  });

  it('keeps a multipart valid when its only child is dropped: an empty text/plain part stays', async () => {
    const message = crlf(['Subject: x', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: application/octet-stream; name=a.exe', '', 'MZ', '--b--', '']);
    const { out } = await run(message, [{ type: 'dropPart', rule: 'd', part: ref('1') }]);
    expect(out.toString()).not.toContain('MZ');
    const model = await analyze(Readable.from([out]));
    expect(model.parts.map((p) => [p.path, p.type])).toEqual([['0', 'multipart/mixed'], ['1', 'text/plain']]);
    expect(model.malformed).toEqual([]);
  });

  it('keeps an empty text/plain part also when the multipart it empties was left open', async () => {
    const message = crlf(['Subject: x', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: application/octet-stream; name=a.exe', '', 'MZ']);
    const { out, changes } = await run(message, [{ type: 'dropPart', rule: 'd', part: ref('1') }]);
    expect(out.toString()).not.toContain('MZ');
    const model = await analyze(Readable.from([out]));
    expect(model.parts.map((p) => [p.path, p.type])).toEqual([['0', 'multipart/mixed'], ['1', 'text/plain']]);
    expect(model.malformed).toEqual([]);
    expect(changes).toContainEqual({ kind: 'multipart-closed', path: '0' });
  });

  it('keeps the header block and an empty text body when the dropped part is the whole message', async () => {
    const message = crlf(['Subject: x', 'Content-Type: application/octet-stream; name=a.exe', 'Content-Transfer-Encoding: base64', '', 'TVqQ', '']);
    const { out, changes } = await run(message, [{ type: 'dropPart', rule: 'd', part: ref('0') }]);
    expect(out.toString()).toBe(crlf(['Subject: x', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', 'Content-Disposition: inline', '', '']).toString());
    expect(changes).toEqual([{ kind: 'part-dropped', rule: 'd', path: '0', type: 'application/octet-stream' }]);
  });

  it('lists bare line ends it made CRLF among the changes', async () => {
    const message = Buffer.from('Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>x</p><script>1</script>\n--b--\n');
    const { out, changes } = await run(message, [{ type: 'stripHtml', rule: 'h', elements: ['script'] }]);
    expect(out.toString()).toBe(message.toString().replace('<script>1</script>', '').replace(/\n/g, '\r\n'));
    expect(changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '1', removed: 1 }, { kind: 'line-ends-normalized' }]);
  });

  it('names the carrier it replaced, and the member of it the rule matched (its path inside the carrier)', async () => {
    const message = crlf([
      'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'hi', '--b',
      'Content-Type: application/zip; name="bundle.zip"', 'Content-Disposition: attachment;', ' filename="bundle.zip"', 'Content-Transfer-Encoding: base64', '', 'UEsDBA==',
      '--b', 'Content-Type: application/x-tar', 'Content-Disposition: attachment; filename*=utf-8\'\'pkg%C3%A9.tar', '', 'tar',
      '--b--', '',
    ]);
    const member = (carrier: string, path: string): PartRef => ({ path, carrier, type: 'application/x-msdownload', size: 2, filename: 'run.exe' });
    const { changes } = await run(message, [
      { type: 'stripPart', rule: 'risky', part: member('2', '2/nested.zip/inner/tools/run.exe'), notice: 'removed' },
      { type: 'dropPart', rule: 'tar', part: member('3', '3/docs/sub/run.exe') },
    ]);
    expect(changes).toEqual([
      { kind: 'part-stripped', rule: 'risky', path: '2', type: 'application/zip', filename: 'bundle.zip', member: 'nested.zip/inner/tools/run.exe' },
      { kind: 'part-dropped', rule: 'tar', path: '3', type: 'application/x-tar', filename: 'pkg\u00e9.tar', member: 'docs/sub/run.exe' },
    ]);
    // A part stripped itself is named as the effect names it, with no member.
    const whole = await run(message, [{ type: 'stripPart', rule: 'zip', part: { ...ref('2', 'application/zip', 'bundle.zip') }, notice: 'removed' }]);
    expect(whole.changes).toEqual([{ kind: 'part-stripped', rule: 'zip', path: '2', type: 'application/zip', filename: 'bundle.zip' }]);
  });

  it('encodes a notice with a line that could be read as a boundary in base64', async () => {
    const notice = 'removed\n--b1\nContent-Type: application/x-msdownload; name="smuggled.exe"\n\nTVqQ';
    const { out } = await run(MIXED, [{ type: 'stripPart', rule: 'exe', part: ref('2'), notice }]);
    const model = await analyze(Readable.from([out]));
    expect(model.parts.map((p) => p.type)).toEqual(['multipart/mixed', 'text/html', 'text/plain', 'text/plain']);
    expect(model.parts[2]).toMatchObject({ encoding: 'base64' });
  });

  it('encodes a non-ASCII notice in base64', async () => {
    const { out } = await run(MIXED, [{ type: 'stripPart', rule: 'exe', part: ref('2'), notice: 'Anhang entfernt – a.exe' }]);
    const model = await analyze(Readable.from([out]));
    expect(model.parts[2]).toMatchObject({ type: 'text/plain', encoding: 'base64', size: Buffer.byteLength('Anhang entfernt – a.exe') });
  });

  it('replaces a carrier once when two members of it are stripped', async () => {
    const strip = (name: string): Effect => ({ type: 'stripPart', rule: 'zip', part: { ...ref('2'), path: `2/${name}` }, notice: 'archive removed' });
    const { out, changes } = await run(MIXED, [strip('x.exe'), strip('y.exe')]);
    expect(out.toString().match(/archive removed/g)).toHaveLength(1);
    expect(changes.filter((c) => c.kind === 'part-stripped')).toHaveLength(1);
  });

  it('drops a part with its boundary and no notice', async () => {
    const { out, changes } = await run(MIXED, [{ type: 'dropPart', rule: 'd', part: ref('2') }]);
    const model = await analyze(Readable.from([out]));
    expect(model.parts.map((p) => p.path)).toEqual(['0', '1', '2']);
    expect(model.malformed).toEqual((await analyze(Readable.from([MIXED]))).malformed);
    expect(out.toString()).toContain('ok\r\n--b1\r\nContent-Type: text/plain\r\n\r\nbenign\r\n--b1--');
    expect(changes[0]).toMatchObject({ kind: 'part-dropped', path: '2' });
  });

  it('replaces a whole nested multipart and an inline attached message as one carrier', async () => {
    const message = crlf([
      'Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: text/plain', '', 'keep me', '--o',
      'Content-Type: message/rfc822', '', 'Subject: inner', 'Content-Type: multipart/mixed; boundary=i', '',
      '--i', 'Content-Type: text/plain', '', 'inner text', '--i', 'Content-Type: application/x-msdownload; name=x.exe', '',
      'MZ', '--i--', '', '--o--', '',
    ]);
    const { out } = await run(message, [{ type: 'stripPart', rule: 'exe', part: { ...ref('2'), path: '2.2' }, notice: 'gone' }]);
    const model = await analyze(Readable.from([out]));
    expect(model.parts.map((p) => [p.path, p.type])).toEqual([['0', 'multipart/mixed'], ['1', 'text/plain'], ['2', 'text/plain']]);
    expect(out.toString()).toBe(crlf([
      'Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: text/plain', '', 'keep me', '--o',
      'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', 'Content-Disposition: inline', '', 'gone', '--o--', '',
    ]).toString());
  });

  it('strips the whole message body when the root is the carrier', async () => {
    const message = crlf(['Subject: x', 'Content-Type: application/octet-stream; name=a.exe', 'Content-Transfer-Encoding: base64', '', 'TVqQ', '']);
    const { out } = await run(message, [{ type: 'stripPart', rule: 'exe', part: ref('0'), notice: 'removed' }]);
    expect(out.toString()).toBe(crlf(['Subject: x', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', 'Content-Disposition: inline', '', 'removed', '']).toString());
  });

  it('makes a message without MIME whose body it replaces a MIME message: MIME-Version goes with the notice\'s Content-* fields', async () => {
    const message = crlf(['From: a@example.net', 'Subject: uu', '', 'hello', 'begin 644 a.exe', 'M3%I0', '`', 'end', '']);
    const { out } = await run(message, [{ type: 'stripPart', rule: 's', part: ref('0', 'text/plain', 'a.exe'), notice: 'Removed résumé.exe' }]);
    expect(headerBlock(out).split('\r\n')).toEqual(['From: a@example.net', 'Subject: uu', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: base64', 'Content-Disposition: inline']);
    // One it had is kept, not doubled; a part's own block gets none.
    const mime = crlf(['From: a@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'hi', '--b', 'Content-Type: application/x-msdownload; name=a.exe', '', 'MZ', '--b--', '']);
    const kept = (await run(mime, [{ type: 'stripPart', rule: 's', part: ref('2'), notice: 'gone' }])).out.toString();
    expect(kept.match(/^MIME-Version:/gm)).toEqual(['MIME-Version:']);
  });

  it('gives an attached message without MIME MIME-Version when it replaces its body, or re-encodes it', async () => {
    const attached = (body: string): Buffer => crlf(['From: a@b.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: text/plain', '', 'hi', '--o',
      'Content-Type: message/rfc822', 'Content-Disposition: inline', '', 'Subject: inner', '', body, '--o--', '']);
    const inner = (out: Buffer): string[] => { const t = out.toString('latin1'); return t.slice(t.indexOf('Subject: inner'), t.indexOf('\r\n\r\n', t.indexOf('Subject: inner'))).split('\r\n'); };
    const stripped = await run(attached('begin 644 a.exe\r\nM3%I0\r\n`\r\nend'), [{ type: 'stripPart', rule: 's', part: ref('2.0', 'text/plain', 'a.exe'), notice: 'gone' }]);
    expect(inner(stripped.out)).toEqual(['Subject: inner', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', 'Content-Disposition: inline']);
    const reencoded = await run(attached('caf\u00e9 '.repeat(300)), [{ type: 'addHeader', rule: 'a', name: 'X-Scanned', value: 'yes' }]);
    expect(reencoded.changes).toContainEqual({ kind: 'part-reencoded', path: '2.0', encoding: 'quoted-printable' });
    expect(inner(reencoded.out)).toEqual(['Subject: inner', 'Content-Transfer-Encoding: quoted-printable', 'Content-Type: text/plain; charset=utf-8', 'MIME-Version: 1.0']);
  });
});

describe('rewrite: stripHtml', () => {
  it('removes the elements and on* attributes through quoted-printable, keeping the charset bytes', async () => {
    const { out, changes } = await run(MIXED, [{ type: 'stripHtml', rule: 'h', elements: ['script', 'iframe'] }]);
    const text = out.toString('latin1');
    expect(text).toContain('Content-Transfer-Encoding: quoted-printable\r\n\r\n<p>h=C3=A9</p>ok\r\n--b1\r\n');
    expect(text).toContain('TVqQAAMAAAAEAAAA');
    expect(changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '1', removed: 2 }]);
  });

  it('decodes and re-encodes base64 HTML', async () => {
    const html = '<html><body onload="go()"><iframe src="x"></iframe><b>bold</b><SCRIPT>evil()</SCRIPT></body></html>';
    const message = crlf(['Content-Type: text/html; charset=iso-8859-1', 'Content-Transfer-Encoding: base64', '', Buffer.from(html).toString('base64'), '']);
    const { out } = await run(message, [{ type: 'stripHtml', rule: 'h', elements: ['script', 'iframe'] }]);
    const body = out.toString().split('\r\n\r\n')[1]!;
    expect(Buffer.from(body, 'base64').toString()).toBe('<html><body><b>bold</b></body></html>');
    expect(body.split('\r\n').every((l) => l.length <= 76)).toBe(true);
  });

  it('removes void elements (embed, img) and reports only what it removed', async () => {
    const message = crlf(['Content-Type: text/html', '', '<p>a</p><embed src=y><EMBED SRC="z"/><img src=x onerror=go()><p>b</p>', '']);
    const { out, changes } = await run(message, [{ type: 'stripHtml', rule: 'h', elements: ['embed', 'img'] }]);
    expect(out.toString()).toBe('Content-Type: text/html\r\n\r\n<p>a</p><p>b</p>\r\n');
    expect(changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '0', removed: 3 }]);
  });

  it('re-encodes a stripped 7bit HTML part whose lines are over 998 octets', async () => {
    const message = crlf(['Content-Type: text/html', '', `<p>${'word '.repeat(600)}</p><script>x()</script>`, '']);
    const { out, changes } = await run(message, [{ type: 'stripHtml', rule: 'h', elements: ['script'] }]);
    expect(Math.max(...out.toString().split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(out.toString()).toContain('Content-Transfer-Encoding: quoted-printable');
    expect(changes).toContainEqual({ kind: 'part-reencoded', path: '0', encoding: 'quoted-printable' });
    const model = await analyze(Readable.from([out]));
    expect(model.parts[0]).toMatchObject({ encoding: 'quoted-printable', size: `<p>${'word '.repeat(600)}</p>\r\n`.length });
  });

  it('leaves a message its effects change nothing in byte for byte, long lines and bare line ends included', async () => {
    // The subject already has the prefix and the HTML has no script: nothing applies, so the
    // 7bit body with a line over 998 octets is not made quoted-printable (mailward eval --out).
    const message = Buffer.from(`From: a@outside.example\r\nSubject: [EXT] hi\r\nMIME-Version: 1.0\r\nContent-Type: text/html\r\n\r\n<p>${'q'.repeat(1500)}</p>\nend\r\n`);
    for (const effects of [[{ type: 'subjectPrefix', rule: 'p', prefix: '[EXT] ' }], [{ type: 'stripHtml', rule: 'h', elements: ['script'] }]] as Effect[][]) {
      const { out, changes } = await run(message, effects);
      expect(out.toString('latin1')).toBe(message.toString('latin1'));
      expect(changes).toEqual([]);
    }
  });

  it('holds at most 1 MiB of input for that: past it, a message its effects leave alone goes on as the pass makes it', async () => {
    // Memory must not grow with the message: a long line past the hold is re-encoded, as in a changed message.
    const body = `${'plain text line\r\n'.repeat(70_000)}${'q'.repeat(1500)}\r\n`;
    const message = Buffer.from(`From: a@outside.example\r\nSubject: [EXT] hi\r\n\r\n${body}`);
    const input = new Readable({ read() {} });
    const stream = rewrite(input, [{ type: 'subjectPrefix', rule: 'p', prefix: '[EXT] ' }]);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    for (let at = 0; at < message.length; at += 64 * 1024) input.push(message.subarray(at, at + 64 * 1024));
    // What was held goes on before the end (polled: a loaded machine takes its time over 1 MiB).
    for (let waited = 0; Buffer.concat(chunks).length === 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(Buffer.concat(chunks).length).toBeGreaterThan(0);
    input.push(null);
    await new Promise((r) => stream.on('end', r));
    const out = Buffer.concat(chunks).toString('latin1');
    expect(out.split('\r\n').every((l) => l.length <= 998)).toBe(true);
    expect(stream.changes).toEqual([{ kind: 'lines-broken', path: '0', style: 'fold' }]); // a body too big to hold is folded
  });

  it('lets what it held go on once a dropped part has changed the message, though the drop itself sends nothing', async () => {
    const b64 = Buffer.alloc(3 * 1024 * 1024, 0x41).toString('base64').replace(/.{76}/g, '$&\r\n');
    const message = crlf(['From: a@outside.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'hi',
      '--b', 'Content-Type: application/octet-stream; name="a.exe"', 'Content-Transfer-Encoding: base64', '', b64, '--b--', '']);
    const input = new Readable({ read() {} });
    const stream = rewrite(input, [{ type: 'dropPart', rule: 'd', part: ref('2') }]);
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const cut = message.length - 64 * 1024; // all but the end: the part is dropped, its boundary not yet closed
    for (let at = 0; at < cut; at += 64 * 1024) input.push(message.subarray(at, Math.min(at + 64 * 1024, cut)));
    for (let waited = 0; Buffer.concat(chunks).length === 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(Buffer.concat(chunks).toString('latin1')).toContain('hi'); // out before the end, not held with the input
    input.push(message.subarray(cut));
    input.push(null);
    await new Promise((r) => stream.on('end', r));
    expect(Buffer.concat(chunks).toString('latin1')).not.toContain('AAAA');
    expect(stream.changes).toEqual([expect.objectContaining({ kind: 'part-dropped', path: '2' })]);
  });

  it('holds nothing back from a caller that vouches for the lines (the gateway): what it sends before a change is the input', async () => {
    const head = crlf(['Subject: x', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'first', '--b', '']);
    const tail = crlf(['Content-Type: text/html', '', '<p>no script</p>', '--b--', '']);
    const outputBeforeEnd = async (linesWithinLimit: boolean): Promise<number> => {
      const input = new Readable({ read() {} });
      const stream = rewrite(input, [{ type: 'stripHtml', rule: 'h', elements: ['script'] }], { linesWithinLimit });
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      input.push(head);
      await new Promise((r) => setTimeout(r, 50));
      const early = Buffer.concat(chunks).length;
      input.push(tail);
      input.push(null);
      await new Promise((r) => stream.on('end', r));
      expect(Buffer.concat(chunks).equals(Buffer.concat([head, tail]))).toBe(true);
      expect(stream.changes).toEqual([]);
      return early;
    };
    expect(await outputBeforeEnd(true)).toBeGreaterThan(0);
    // otherwise the message is held until a change or its end (it could have long lines or bare LFs)
    expect(await outputBeforeEnd(false)).toBe(0);
  });

  it('leaves HTML with nothing to remove byte-identical', async () => {
    const message = crlf(['Content-Type: text/html', '', '<p class=a>on click here</p>', '']);
    const { out, changes } = await run(message, [{ type: 'stripHtml', rule: 'h', elements: ['script'] }]);
    expect(out.equals(message)).toBe(true);
    expect(changes).toEqual([]);
  });
});

describe('the HMAC key of masqueraded Message-IDs', () => {
  // It fell back to the fixed key 'mailward': anyone could test guesses of the internal ids (trial).
  const masquerade: Effect = { type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['From'], messageId: true };
  it('is required where an effect masquerades Message-IDs', () => {
    expect(() => rewrite(Readable.from([MIXED]), [masquerade])).toThrow(/masquerading Message-IDs needs options\.secret/);
  });
  it('is not where none does', async () => {
    const stream = rewrite(Readable.from([MIXED]), [{ ...masquerade, messageId: false }]);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString('latin1')).toMatch(/^From: "Penny =\?utf-8\?Q\?P=C3=A9\?=" <penny@acme\.example>/);
  });
});
