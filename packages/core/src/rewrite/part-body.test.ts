import { Readable } from 'node:stream';
import fc from 'fast-check';
import * as iconv from 'iconv-lite';
import { analyze } from '../message/analyze';
import { decodeBody, encodeBody } from './part-body';
import { rewrite } from './rewrite';

/** Quoted-printable as RFC 2045 6.7 has readers decode it: white space at the end of an encoded line is padding. */
const readQp = (b: Buffer): Buffer => decodeBody(Buffer.from(b.toString('latin1').replace(/[ \t]+(?=\r\n|$)/g, ''), 'latin1'), 'quoted-printable');

/** Bytes where line ends, white space before them and dashes are frequent. */
const textBytes = fc.array(fc.constantFrom(0x20, 0x09, 0x0d, 0x0a, 0x2d, 0x3d, 0x61, 0xe9), { maxLength: 400 }).map((a) => Uint8Array.from(a));

describe('encodeBody: quoted-printable', () => {
  it('decodes to the same bytes, bare CR and LF included, in lines of 76 that never start with a dash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), textBytes), (bytes) => {
        const out = encodeBody(Buffer.from(bytes), 'quoted-printable');
        expect(readQp(out).equals(Buffer.from(bytes))).toBe(true);
        const lines = out.toString('latin1').split('\r\n');
        expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(76);
        expect(lines.filter((l) => l.startsWith('-'))).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });
});

async function run(message: Buffer): Promise<Buffer> {
  const stream = rewrite(Readable.from([message]), [{ type: 'stripHtml', rule: 'h', elements: ['script'] }]);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const part = (type: string, body: string): Buffer =>
  Buffer.from(['Content-Type: multipart/mixed; boundary=b', '', '--b', `Content-Type: ${type}`, 'Content-Transfer-Encoding: quoted-printable', '', body, '--b', 'Content-Type: text/plain', '', 'last', '--b--', ''].join('\r\n'), 'latin1');

describe('rewrite: a quoted-printable HTML part stripped and encoded again', () => {
  it('opens no part where a soft break falls before the delimiter', async () => {
    // decoded, one line: x...x--b, so a soft break at 75 would start a line with --b
    const message = part('text/html', `<script></script>${'x'.repeat(57)}=\r\n${'x'.repeat(18)}-=\r\n-b\r\nContent-Type: text/html\r\n\r\n<p>`);
    const out = await run(message);
    const types = async (m: Buffer): Promise<string[]> => (await analyze(Readable.from([m]))).parts.map((p) => `${p.path} ${p.type}`);
    expect(await types(out)).toEqual(await types(message));
  });

  it('keeps a UTF-16 body whole: its 0x0a octets are no line ends', async () => {
    const html = '<p>Grüße\r\nzweite Zeile</p><script>alert(1)</script><p>ok</p>\r\n';
    const bytes = iconv.encode(html, 'utf-16le', { addBOM: true });
    const qp = [...bytes].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('').replace(/.{72}/g, '$&=\r\n');
    const out = (await run(part('text/html; charset=utf-16', qp))).toString('latin1');
    const body = out.split('quoted-printable\r\n\r\n')[1]!.split('\r\n--b\r\n')[0]!;
    expect(iconv.decode(readQp(Buffer.from(body, 'latin1')), 'utf-16le')).toBe(html.replace('<script>alert(1)</script>', ''));
  });
});
