import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import { Libmime } from 'libmime';
import { foldLongHeaderLines } from './header-lines';
import { rewrite } from './rewrite';
import { analyze } from '../message/analyze';
import { parseStructured } from '../message/header-params';

const longest = (b: Buffer): number => Math.max(...b.toString('latin1').split('\r\n').map((l) => l.length));
const unfold = (block: string): string => block.replace(/\r\n(?=[ \t])/g, '');
const folded = (text: string): string[] => foldLongHeaderLines(Buffer.from(`${text}\r\n\r\n`, 'latin1'))!.block.toString('latin1').split('\r\n').slice(0, -2);
const libmime = new Libmime();

async function run(message: Buffer, effects: Effect[], linesWithinLimit = false): Promise<{ out: Buffer; changes: unknown[] }> {
  const stream = rewrite(Readable.from([message]), effects, { linesWithinLimit });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks), changes: stream.changes };
}

describe('header lines over 998 octets', () => {
  it('folds before white space, so the unfolded field is unchanged', () => {
    const refs = Array.from({ length: 60 }, (_, i) => `<${i}.abcdefghij@hub.acme.example>`).join(' ');
    const block = Buffer.from(`Subject: hi\r\nReferences: ${refs}\r\n\r\n`);
    const { block: out, names } = foldLongHeaderLines(block)!;
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(unfold(out.toString())).toBe(block.toString());
    expect(names).toEqual(['References']);
  });

  it('breaks a line with no white space with CRLF SP, losing no octet', () => {
    const token = 'x'.repeat(2500);
    const out = foldLongHeaderLines(Buffer.from(`X-Blob: ${token}\r\n\r\n`))!.block;
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(out.toString().replace(/\r\n /g, '')).toBe(`X-Blob: ${token}\r\n\r\n`);
  });

  it('breaks a raw UTF-8 line with no white space between characters, never inside one (RFC 6532)', async () => {
    for (const char of ['ü', '€', '😀', 'aü']) {
      const value = char.repeat(Math.ceil(3000 / Buffer.byteLength(char)));
      const out = foldLongHeaderLines(Buffer.from(`Subject: ${value}\r\n\r\n`))!.block;
      expect(longest(out)).toBeLessThanOrEqual(998);
      for (const line of out.toString('latin1').split('\r\n')) expect(isUtf8(Buffer.from(line, 'latin1'))).toBe(true);
      expect(out.toString().replace(/\r\n /g, '')).toBe(`Subject: ${value}\r\n\r\n`);
    }
    // The trial's message, with a field added: valid UTF-8 throughout.
    const { out } = await run(Buffer.from(`From: a@example.net\r\nSubject: ${'ü'.repeat(1500)}\r\n\r\nhi\r\n`), [{ type: 'addHeader', rule: 'a', name: 'X-Gw', value: '1' }]);
    expect(isUtf8(out)).toBe(true);
    // Octets that are no UTF-8 are broken where the line is full, as before.
    const latin1 = foldLongHeaderLines(Buffer.from(`X-Blob: ${'\xbc'.repeat(2500)}\r\n\r\n`, 'latin1'))!.block.toString('latin1').split('\r\n');
    expect(latin1[0]!.length).toBe(998);
  });

  it('names a field once however many of its lines were long, continuation lines included', () => {
    const long = 'y'.repeat(1200);
    const block = Buffer.from(`X-A: ${long}\r\nX-B: short\r\n ${long}\r\nX-A: ${long}\r\n\r\n`);
    expect(foldLongHeaderLines(block)!.names).toEqual(['X-A', 'X-B']);
  });

  it('leaves a block within the limit alone', () => {
    expect(foldLongHeaderLines(Buffer.from('Subject: hi\r\n\r\n'))).toBeUndefined();
  });

  it('is applied to every header block of a changed message and reported', async () => {
    const long = `X-Trace: ${'a '.repeat(800)}end`;
    const message = Buffer.from(`${long}\r\nX-Mailer: m\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n${long}\r\n\r\nhello\r\n--b--\r\n`);
    const { out, changes } = await run(message, [{ type: 'removeHeaders', rule: 'r', names: ['X-Mailer'] }]);
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(changes).toEqual(expect.arrayContaining([{ kind: 'header-refolded', path: '0', names: ['X-Trace'] }, { kind: 'header-refolded', path: '1', names: ['X-Trace'] }]));
    expect(unfold(out.toString())).toBe(message.toString().replace('X-Mailer: m\r\n', ''));
  });

  it('folds the top-level header block on the header-only path too', async () => {
    const message = Buffer.from(`X-Trace: ${'a '.repeat(800)}end\r\nX-Mailer: m\r\n\r\nbody\r\n`);
    const { out, changes } = await run(message, [{ type: 'removeHeaders', rule: 'r', names: ['X-Mailer'] }], true);
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(changes).toContainEqual({ kind: 'header-refolded', path: '0', names: ['X-Trace'] });
    expect(unfold(out.toString())).toBe(message.toString().replace('X-Mailer: m\r\n', ''));
  });

  it('does not touch a message that has no effects, long lines and all', async () => {
    const message = Buffer.from(`X-Trace: ${'a'.repeat(1200)}\r\n\r\nbody\r\n`);
    expect((await run(message, [])).out.equals(message)).toBe(true);
  });

  it('folds an address list with no white space after a comma, not inside an address', () => {
    const list = Array.from({ length: 150 }, (_, i) => `u${i}@acme.example`).join(',');
    const lines = folded(`Reply-To: ${list}`);
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(998);
    // Each line but the last ends with a whole address and its comma; the next starts with CRLF SP.
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/@acme\.example,$/);
    expect(lines.join('').replace(/, /g, ',')).toBe(`Reply-To: ${list}`);
  });

  it('does not take a comma inside a quoted string for a break', () => {
    const name = `"${'Q'.repeat(500)},${'R'.repeat(600)}"`;
    const lines = folded(`To: ${name} <a@acme.example>`);
    expect(lines[0]).not.toMatch(/,$/);
    expect(lines[0]!.length).toBe(998);
  });

  it('writes an encoded word too long for a line as several words that decode alone to the same text', () => {
    const text = 'é'.repeat(900) + ' und 日本語';
    const word = `=?utf-8?B?${Buffer.from(text).toString('base64')}?=`;
    const lines = folded(`Subject: [EXT] ${word}`);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(998);
    const words = lines.join(' ').match(/=\?[^ ]*\?=/g)!;
    expect(words.length).toBeGreaterThan(1);
    for (const w of words) {
      expect(w.length).toBeLessThanOrEqual(75);
      expect(libmime.decodeWords(w)).not.toContain('\uFFFD');
    }
    expect(words.map((w) => libmime.decodeWords(w)).join('')).toBe(text);
    expect(libmime.decodeWords(unfold(lines.join('\r\n')).slice('Subject: '.length))).toBe(`[EXT] ${text}`);
  });

  it('splits a long Q word between its octets, a UTF-8 character kept whole, in its charset', () => {
    const text = `${'a'.repeat(500)}${'ü'.repeat(300)}`;
    const q = [...Buffer.from(text)].map((b) => (b < 0x80 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase()}`)).join('');
    const words = folded(`Subject: =?UTF-8?Q?${q}?=`).join(' ').match(/=\?[^ ]*\?=/g)!;
    for (const w of words) {
      expect(w).toMatch(/^=\?UTF-8\?Q\?/);
      expect(libmime.decodeWords(w)).not.toContain('\uFFFD');
    }
    expect(words.map((w) => libmime.decodeWords(w)).join('')).toBe(text);
  });

  it('breaks a line of encoded words written without white space between them', () => {
    const word = `=?utf-8?B?${Buffer.from('é'.repeat(30)).toString('base64')}?=`;
    const lines = folded(`Subject: ${word.repeat(30)}`);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(998);
    expect(lines.join('\r\n').replace(/\r\n /g, '')).toBe(`Subject: ${word.repeat(30)}`);
    // Every line holds whole words: each decodes where it stands.
    for (const l of lines) expect(l.replace(/^Subject:/, '').trim()).toMatch(/^(?:=\?utf-8\?B\?[A-Za-z0-9+/=]*\?=)+$/);
  });
});

describe('a parameter too long for a line', () => {
  const values = async (message: Buffer): Promise<{ filename: string | undefined; filenames: string[] }[]> => {
    const model = await analyze(Readable.from([message]));
    return model.parts.map((p) => ({ filename: p.filename, filenames: p.filenames }));
  };

  it('is written as RFC 2231 continuations, so the name is unchanged (no space put in it)', async () => {
    const name = `${'P'.repeat(1200)}.pdf`;
    const lines = folded(`Content-Disposition: attachment;\r\n filename="${name}"`);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(998);
    const value = unfold(lines.join('\r\n'));
    expect(value).toMatch(/^Content-Disposition: attachment;\s+filename\*0="P+"; filename\*1="P+";/);
    const parsed = parseStructured(value.slice(value.indexOf(':') + 1));
    expect(parsed.params.get('filename')).toEqual([name]);
    expect(libmime.parseHeaderValue(value.slice(value.indexOf(':') + 1)).params.filename).toBe(name);
  });

  it('cuts a raw UTF-8 name between its characters, so every line stays UTF-8', async () => {
    const name = `a${'é'.repeat(700)}.pdf`;
    const lines = folded(Buffer.from(`Content-Disposition: attachment; filename="${name}"`).toString('latin1'));
    for (const l of lines) expect(isUtf8(Buffer.from(l, 'latin1'))).toBe(true);
    const value = Buffer.from(unfold(lines.join('\r\n')), 'latin1').toString();
    expect(libmime.parseHeaderValue(value.slice(value.indexOf(':') + 1)).params.filename).toBe(name);
  });

  it('is only a file name: a long boundary is folded, never made continuations (readers would split the parts differently)', () => {
    const value = unfold(folded(`Content-Type: multipart/mixed; boundary="${'b'.repeat(1000)}"`).join('\r\n'));
    expect(value).not.toMatch(/boundary\*/);
  });

  it('is not looked for inside a quoted string, one that began on the line before too', () => {
    const name = `x\r\n y=${'A'.repeat(1100)}.pdf`;
    const value = unfold(folded(`Content-Disposition: attachment; filename="${name}"`).join('\r\n'));
    expect(value).not.toMatch(/y\*0=/);
    const inLine = unfold(folded(`Content-Disposition: attachment; filename="a; name=${'B'.repeat(1100)}.pdf"`).join('\r\n'));
    expect(inLine).not.toMatch(/; name\*0=/);
    expect(parseStructured(inLine.slice(20)).params.get('filename')).toEqual([`a; name=${'B'.repeat(1100)}.pdf`]);
  });

  it('keeps escapes and percent octets whole, and an extended value extended', () => {
    const quoted = folded(`Content-Type: application/pdf; name="${'a\\"'.repeat(400)}"`).join('\r\n');
    expect(parseStructured(unfold(quoted).slice(13)).params.get('name')).toEqual(['a"'.repeat(400)]);
    const ext = folded(`Content-Disposition: attachment; filename*=utf-8'de'${'%C3%A9'.repeat(200)}.pdf`).join('\r\n');
    expect(unfold(ext)).toMatch(/filename\*0\*=utf-8'de'%C3%A9/);
    expect(parseStructured(unfold(ext).slice(20)).params.get('filename')).toEqual([`${'é'.repeat(200)}.pdf`]);
  });

  it('is read with the same name by analysis after a rewrite that refolds the part header', async () => {
    const name = `${'P'.repeat(1200)}.pdf`;
    const message = Buffer.from(['From: a@b.example', 'X-Mailer: m', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b1"', '',
      '--b1', 'Content-Type: application/pdf', `Content-Disposition: attachment; filename="${name}"`, '', '%PDF-1.4', '--b1--', ''].join('\r\n'));
    const { out, changes } = await run(message, [{ type: 'removeHeaders', rule: 'r', names: ['X-Mailer'] }]);
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(changes).toContainEqual({ kind: 'header-refolded', path: '1', names: ['Content-Disposition'] });
    expect((await values(out))[1]).toEqual({ filename: name, filenames: [name] });
  });
});
