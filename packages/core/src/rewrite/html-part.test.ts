import Encoding from 'encoding-japanese';
import { Readable } from 'node:stream';
import * as iconv from 'iconv-lite';
import { analyze } from '../message/analyze';
import { cleanHtmlBody } from './html-part';
import { rewrite } from './rewrite';

const ACTIVE = ['script', 'iframe'];
const HTML = '<p>Grüße</p><script>alert(1)</script><img src=x onerror=alert(2)>';
const CLEAN = '<p>Grüße</p><img src=x>';

describe('cleanHtmlBody: every way a client may decode the body', () => {
  it.each([
    ['UTF-16LE with a byte order mark', 'utf-16', iconv.encode(HTML, 'utf-16le', { addBOM: true }), (b: Buffer) => iconv.decode(b, 'utf-16le', { stripBOM: false }), `\ufeff${CLEAN}`],
    ['UTF-16 without one, little-endian', 'utf-16', iconv.encode(HTML, 'utf-16le'), (b: Buffer) => iconv.decode(b, 'utf-16le'), CLEAN],
    ['UTF-16 without one, big-endian', 'UTF-16', iconv.encode(HTML, 'utf-16be'), (b: Buffer) => iconv.decode(b, 'utf-16be'), CLEAN],
    ['UTF-32BE', 'utf-32be', iconv.encode(HTML, 'utf-32be'), (b: Buffer) => iconv.decode(b, 'utf-32be'), CLEAN],
    // A byte order mark wins over the charset, as in browsers.
    ['UTF-16BE labelled utf-8', 'utf-8', iconv.encode(HTML, 'utf-16be', { addBOM: true }), (b: Buffer) => iconv.decode(b, 'utf-16be'), CLEAN],
    ['UTF-7', 'utf-7', Buffer.from('+ADw-p+AD4-hi+ADw-/p+AD4-+ADw-script+AD4-alert(1)+ADw-/script+AD4-'), (b: Buffer) => iconv.decode(b, 'utf-7'), '<p>hi</p>'],
    ['UTF-7 with literal tags too', 'utf-7', Buffer.from('<p>hi</p><script>alert(1)</script>'), (b: Buffer) => iconv.decode(b, 'utf-7'), '<p>hi</p>'],
  ])('strips %s, in that charset', (_name, charset, body, decode, expected) => {
    const result = cleanHtmlBody(body, charset, ACTIVE);
    expect(decode(result.body)).toBe(expected);
    expect(result.removed).toBeGreaterThan(0);
  });

  it('strips a script that the octets put in a comment made of kanji (ISO-2022-JP)', () => {
    const jis = (ascii: string): Buffer => Buffer.concat([Buffer.from([0x1b, 0x24, 0x42]), Buffer.from(ascii), Buffer.from([0x1b, 0x28, 0x42])]);
    const body = Buffer.concat([Buffer.from('<p>'), jis('<!--'), Buffer.from('<script>alert(1)</script>'), jis('-->x'), Buffer.from('</p>')]);
    for (const charset of ['iso-2022-jp', undefined]) {
      const result = cleanHtmlBody(body, charset, ACTIVE);
      // re-encoded: the two kanji runs, now adjacent, share one escape
      expect(result.body).toEqual(Buffer.concat([Buffer.from('<p>'), jis('<!---->x'), Buffer.from('</p>')]));
      expect(result.removed).toBe(1);
    }
  });

  it.each([
    ['ESC ( B inside the tag names', '<p>hi</p><scr\x1b(Bipt>alert(1)</script><ifr\x1b(Bame src=http://evil.example/></iframe>'],
    ['ESC ( B right after the <', '<p>hi</p><\x1b(Bscript>alert(1)</script>'],
    ['ESC ( J (JIS-Roman) inside the tag name', '<p>hi</p><scr\x1b(Jipt>alert(1)</script>'],
  ])('strips elements whose names an ISO-2022-JP escape splits (%s), labelled or not', (_name, html) => {
    for (const charset of ['iso-2022-jp', 'us-ascii', undefined]) {
      const result = cleanHtmlBody(Buffer.from(html, 'latin1'), charset, ACTIVE);
      const read = Encoding.convert(Array.from(result.body), { to: 'UNICODE', from: 'JIS', type: 'string' });
      expect({ charset, read }).toEqual({ charset, read: '<p>hi</p>' });
      expect(result.removed).toBeGreaterThan(0);
    }
  });

  it('does not read an 8-bit body as ISO-2022-JP for a stray escape (re-encoding it would ruin its text)', () => {
    const body = Buffer.from('<p>Grüße \x1b$B</p><script>x</script>', 'utf8');
    expect(cleanHtmlBody(body, 'utf-8', ACTIVE)).toEqual({ body: Buffer.from('<p>Grüße \x1b$B</p>', 'utf8'), removed: 1 });
  });

  it('keeps an ASCII-compatible body octet for octet outside the cuts', () => {
    const body = Buffer.from('<p>Gr\xfc\xdfe</p><script>x</script>\r\n', 'latin1');
    expect(cleanHtmlBody(body, 'iso-8859-1', ACTIVE)).toEqual({ body: Buffer.from('<p>Gr\xfc\xdfe</p>\r\n', 'latin1'), removed: 1 });
  });
});

describe('rewrite: stripHtml on a UTF-16 part', () => {
  it('strips it and keeps its charset and transfer encoding', async () => {
    const body = iconv.encode(HTML, 'utf-16le', { addBOM: true }).toString('base64');
    const message = Buffer.from(`Content-Type: text/html; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}\r\n`);
    const stream = rewrite(Readable.from([message]), [{ type: 'stripHtml', rule: 'h', elements: ACTIVE }]);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const [head, encoded] = Buffer.concat(chunks).toString('latin1').split('\r\n\r\n');
    expect(head).toBe('Content-Type: text/html; charset=utf-16\r\nContent-Transfer-Encoding: base64');
    expect(iconv.decode(Buffer.from(encoded!, 'base64'), 'utf-16le')).toBe(CLEAN);
    expect(stream.changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '0', removed: 2 }]);
  });
});

describe('rewrite: stripHtml that leaves a delimiter line', () => {
  // <script></script>--b is no delimiter; with the script cut, the line is --b, and what
  // follows it in the body would be a part of its own, which nobody analyzed or cleaned.
  const body = '<p>hi</p>\r\n<script>1</script>--b\r\nContent-Type: text/html\r\n\r\n<script>alert(2)</script>';
  const message = Buffer.from(['Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/html', '', body, '--b', 'Content-Type: text/plain', '', 'last', '--b--', ''].join('\r\n'));

  it('re-encodes the part as quoted-printable, so the structure stays as analyzed', async () => {
    const stream = rewrite(Readable.from([message]), [{ type: 'stripHtml', rule: 'h', elements: ACTIVE }]);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const out = Buffer.concat(chunks);
    const model = await analyze(Readable.from([out]));
    expect(model.parts.map((p) => `${p.path} ${p.type}`)).toEqual(['0 multipart/mixed', '1 text/html', '2 text/plain']);
    expect(model.parts[1]!.encoding).toBe('quoted-printable');
    expect(stream.changes).toContainEqual({ kind: 'part-reencoded', path: '1', encoding: 'quoted-printable' });
    expect(out.toString()).not.toContain('alert');
  });
});

describe('rewrite: stripHtml keeps the octets of a tag it cuts an event attribute from', () => {
  // The tag was written again from the parsed values, one octet per UTF-16 unit: 中 (&#x4e2d;)
  // came out as '-', &euro; as 0xac, &nbsp; as a raw 0xa0 and &#x1F600; as '=' and NUL.
  const TAG = '<a href="x" title="&#x4e2d;&#x6587; &euro; &nbsp;&lt;b&gt;" onclick="evil()">z</a>\r\n<IMG SRC=a.png ALT="&#8364;&#x1F600;" onerror=evil()>';
  const KEPT = '<a href="x" title="&#x4e2d;&#x6587; &euro; &nbsp;&lt;b&gt;">z</a>\r\n<IMG SRC=a.png ALT="&#8364;&#x1F600;">';

  it.each([
    ['UTF-8, 8bit', 'utf-8', '8bit', Buffer.from(`<p>Grüße 中文</p>${TAG}`, 'utf8'), Buffer.from(`<p>Grüße 中文</p>${KEPT}`, 'utf8')],
    ['us-ascii, 7bit', 'us-ascii', '7bit', Buffer.from(TAG, 'latin1'), Buffer.from(KEPT, 'latin1')],
    ['windows-1252, 8bit', 'windows-1252', '8bit', Buffer.from(`<p title="\x80 caf\xe9">${TAG}`, 'latin1'), Buffer.from(`<p title="\x80 caf\xe9">${KEPT}`, 'latin1')],
  ])('%s', async (_name, charset, cte, body, expected) => {
    const head = `Content-Type: text/html; charset=${charset}\r\nContent-Transfer-Encoding: ${cte}`;
    const message = Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body, Buffer.from('\r\n')]);
    const stream = rewrite(Readable.from([message]), [{ type: 'stripHtml', rule: 'h', elements: ACTIVE }]);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks)).toEqual(Buffer.concat([Buffer.from(`${head}\r\n\r\n`), expected, Buffer.from('\r\n')]));
    expect(stream.changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '0', removed: 2 }]);
  });

  it('in UTF-16, where the tag is cut from the decoded text', () => {
    const result = cleanHtmlBody(iconv.encode(`<p>中文</p>${TAG}`, 'utf-16le', { addBOM: true }), 'utf-16', ACTIVE);
    expect(iconv.decode(result.body, 'utf-16le')).toBe(`<p>中文</p>${KEPT}`);
  });
});
