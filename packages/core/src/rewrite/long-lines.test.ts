import { Readable } from 'node:stream';
import fc from 'fast-check';
import { analyze } from '../message/analyze';
import { decodeBody } from './part-body';
import { LineBreaker, QuotedPrintableEncoder } from './long-lines';
import { rewrite } from './rewrite';

async function run(message: Buffer): Promise<{ out: Buffer; changes: unknown[] }> {
  const stream = rewrite(Readable.from([message]), [{ type: 'dropPart', rule: 'd', part: { path: '9', carrier: '9', type: 'x/y', size: 1 } }]);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks), changes: stream.changes };
}

const longest = (b: Buffer): number => Math.max(...b.toString('latin1').split('\r\n').map((l) => l.length));

describe('long lines', () => {
  it('re-encodes a 7bit part with a line over 998 octets as quoted-printable, content kept', async () => {
    const text = `short line\r\n${'word '.repeat(400)}end\r\nlast = line \t`;
    const message = Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nkept\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--b--\r\n`);
    const { out, changes } = await run(message);
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(changes).toEqual([{ kind: 'part-reencoded', path: '2', encoding: 'quoted-printable' }]);
    expect(out.toString()).toContain('--b\r\nContent-Type: text/plain\r\n\r\nkept\r\n--b\r\n');
    const second = out.toString('latin1').split('\r\n--b\r\n')[2]!;
    expect(second).toMatch(/^Content-Transfer-Encoding: quoted-printable\r\n|\r\nContent-Transfer-Encoding: quoted-printable\r\n/);
    const body = second.slice(second.indexOf('\r\n\r\n') + 4).split('\r\n--b--')[0]!;
    expect(decodeBody(Buffer.from(body, 'latin1'), 'quoted-printable').toString()).toBe(text);
    const model = await analyze(Readable.from([out]));
    expect(model.parts[2]).toMatchObject({ encoding: 'quoted-printable', size: Buffer.byteLength(text) });
  });

  it('breaks long base64 lines and leaves short ones alone', async () => {
    const data = Buffer.alloc(3000, 7);
    const b64 = data.toString('base64');
    const message = Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n--b--\r\n`);
    const { out } = await run(message);
    expect(longest(out)).toBeLessThanOrEqual(998);
    const model = await analyze(Readable.from([out]));
    expect(model.parts[1]).toMatchObject({ size: 3000 });
    const short = Buffer.from(`Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64.replace(/.{76}/g, '$&\r\n')}`);
    expect((await run(short)).out.equals(short)).toBe(true);
  });

  it('LineBreaker never splits an =XX escape and decodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        // one very long quoted-printable line
        const qp = Buffer.from([...bytes].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''), 'latin1');
        const breaker = new LineBreaker(true);
        const points = [...new Set(cuts.map((c) => c % (qp.length + 1)))].sort((a, b) => a - b);
        let last = 0;
        const out: Buffer[] = [];
        for (const p of [...points, qp.length]) {
          out.push(breaker.push(qp.subarray(last, p)));
          last = p;
        }
        const all = Buffer.concat(out);
        expect(longest(all)).toBeLessThanOrEqual(998);
        expect(decodeBody(all, 'quoted-printable').equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('QuotedPrintableEncoder round-trips any bytes in any chunking, within 76 characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        const data = Buffer.from(bytes);
        const enc = new QuotedPrintableEncoder();
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
        let last = 0;
        const out: Buffer[] = [];
        for (const p of [...points, data.length]) {
          out.push(enc.push(data.subarray(last, p)));
          last = p;
        }
        out.push(enc.end());
        const all = Buffer.concat(out);
        expect(longest(all)).toBeLessThanOrEqual(76);
        // line breaks come back as CRLF: compare with the input's LFs made CRLF
        const expected = Buffer.from(data.toString('latin1').replace(/\r?\n/g, '\n').replace(/\n/g, '\r\n'), 'latin1');
        expect(decodeBody(all, 'quoted-printable').toString('latin1')).toBe(expected.toString('latin1'));
      }),
    );
  });
});
