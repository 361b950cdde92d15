import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { analyze } from '../message/analyze';
import { decodeBody } from './part-body';
import { LineBreaker, QuotedPrintableEncoder, scanLines } from './long-lines';
import { rewrite } from './rewrite';

const ADDED = 'X-Scanned: yes\r\n';

/**
 * The message rewritten by an effect that changes it (a field added at the top: a message no
 * effect changes leaves as it came, long lines and all), given back without that field and
 * its change, so what is left is what the long lines made.
 */
async function run(message: Buffer, chunk = message.length): Promise<{ out: Buffer; changes: unknown[] }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < message.length; i += chunk) pieces.push(message.subarray(i, i + chunk));
  const stream = rewrite(Readable.from(pieces), [{ type: 'addHeader', rule: 'a', name: 'X-Scanned', value: 'yes' }]);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  const out = Buffer.concat(chunks);
  expect(out.subarray(0, ADDED.length).toString()).toBe(ADDED);
  return { out: out.subarray(ADDED.length), changes: stream.changes.filter((c) => c.kind !== 'header-added') };
}

/** Quoted-printable as RFC 2045 6.7 has readers decode it: white space at the end of an encoded line is padding. */
const readQp = (b: Buffer): Buffer => decodeBody(Buffer.from(b.toString('latin1').replace(/[ \t]+(?=\r\n|$)/g, ''), 'latin1'), 'quoted-printable');

/** Bytes of text where line ends, white space before them and dashes are frequent. */
const textBytes = fc.array(fc.constantFrom(0x20, 0x09, 0x0d, 0x0a, 0x2d, 0x3d, 0x61, 0xe9), { maxLength: 400 }).map((a) => Uint8Array.from(a));

const longest = (b: Buffer): number => Math.max(...b.toString('latin1').split('\r\n').map((l) => l.length));

/** The plain way to find a line over 998 octets: every line, one by one. */
function scanLinesOneByOne(chunk: Buffer, lineLength: number): { long: boolean; lineLength: number } {
  let len = lineLength;
  let pos = 0;
  while (pos < chunk.length) {
    const lf = chunk.indexOf(0x0a, pos);
    const end = lf < 0 ? chunk.length : lf;
    len += end - pos - (lf > pos && chunk[lf - 1] === 0x0d ? 1 : 0);
    if (len > 998) return { long: true, lineLength: len };
    if (lf < 0) break;
    len = 0;
    pos = lf + 1;
  }
  return { long: false, lineLength: len };
}

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
    // (a changed message's last line ends in CRLF)
    expect((await run(short)).out.toString()).toBe(`${short.toString()}\r\n`);
  });

  it('folds a long line that comes after the first MiB of a 7bit part, as Postfix does', async () => {
    const start = 'x'.repeat(70).concat('\r\n').repeat(16_000); // about 1.1 MiB of short lines
    const long = 'y'.repeat(2500);
    const text = `${start}${long}\r\nend`;
    const message = Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--b--\r\n`);
    const { out, changes } = await run(message, 64 * 1024);
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(changes).toEqual([{ kind: 'lines-broken', path: '1', style: 'fold' }]);
    const text2 = out.toString('latin1');
    const body = text2.slice(text2.indexOf('text/plain\r\n\r\n') + 14).split('\r\n--b--')[0]!;
    expect(body.startsWith(start)).toBe(true);
    // every break is CRLF + space; taking them out gives the line back
    expect(body.slice(start.length).replace(/\r\n /g, '')).toBe(`${long}\r\nend`);
  });

  it('re-encodes a long line under header-only effects unless the caller vouches for line lengths', async () => {
    const message = Buffer.from(`Subject: hi\r\nX-Mailer: a\r\nContent-Type: text/plain\r\n\r\n${'z'.repeat(1500)}\r\n`);
    const effects = [{ type: 'removeHeaders' as const, rule: 'r', names: ['X-Mailer'] }];
    const parsed = rewrite(Readable.from([message]), effects);
    const out: Buffer[] = [];
    for await (const c of parsed) out.push(c as Buffer);
    expect(longest(Buffer.concat(out))).toBeLessThanOrEqual(998);
    expect(parsed.changes).toContainEqual({ kind: 'part-reencoded', path: '0', encoding: 'quoted-printable' });
    // linesWithinLimit: the body is copied as it is, not parsed (the gateway refuses long lines at DATA)
    const copied = rewrite(Readable.from([message]), effects, { linesWithinLimit: true });
    const raw: Buffer[] = [];
    for await (const c of copied) raw.push(c as Buffer);
    expect(Buffer.concat(raw).toString()).toBe(message.toString().replace('X-Mailer: a\r\n', ''));
  });

  it.each([
    ['UTF-8', Buffer.from('caf\u00e9 ', 'utf8'), 'utf-8'],
    ['ASCII', Buffer.from('cafe '), 'utf-8'],
    ['Latin-1', Buffer.from('caf\xe9 ', 'latin1'), 'unknown-8bit'],
  ])('makes a message without MIME whose %s body it re-encodes a MIME message (MIME-Version, Content-Type, charset)', async (_name, word, charset) => {
    const body = Buffer.concat([...Array<Buffer>(300).fill(word), Buffer.from('\r\n')]);
    const message = Buffer.concat([Buffer.from('From: a@example.net\r\nSubject: plain\r\n\r\n'), body]);
    const { out } = await run(message);
    const text = out.toString('latin1');
    const head = text.slice(0, text.indexOf('\r\n\r\n') + 2);
    expect(head).toMatch(/^MIME-Version: 1\.0\r\n/m);
    expect(head).toMatch(new RegExp(`^Content-Type: text/plain; charset=${charset}\\r\\n`, 'm'));
    expect(head).toMatch(/^Content-Transfer-Encoding: quoted-printable\r\n/m);
    expect(head).toContain('From: a@example.net\r\nSubject: plain\r\n');
    expect(readQp(Buffer.from(text.slice(head.length + 2), 'latin1'))).toEqual(body);
    // A MIME message keeps the fields it has: only the encoding changes.
    const mime = Buffer.concat([Buffer.from('MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\n'), body]);
    const kept = (await run(mime)).out.toString('latin1');
    expect(kept.match(/^(MIME-Version|Content-Type):/gm)).toEqual(['MIME-Version:', 'Content-Type:']);
    expect(kept).toContain('charset=iso-8859-1');
  });

  it('scanLines, which looks back from the furthest LF, agrees with a line-by-line scan', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 990, max: 1001 }), fc.integer({ min: 0, max: 80 })), { maxLength: 12 }),
        fc.constantFrom('\r\n', '\n'),
        fc.integer({ min: 0, max: 998 }),
        fc.boolean(),
        (lengths, eol, carried, trailing) => {
          const chunk = Buffer.from(lengths.map((n) => 'a'.repeat(n)).join(eol) + (trailing ? eol : ''));
          const fast = scanLines(chunk, carried);
          const plain = scanLinesOneByOne(chunk, carried);
          expect(fast.long).toBe(plain.long);
          if (!plain.long) expect(fast.lineLength).toBe(plain.lineLength);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('LineBreaker never splits an =XX escape and decodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000 }), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
        // one very long quoted-printable line
        const qp = Buffer.from([...bytes].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''), 'latin1');
        const breaker = new LineBreaker('quoted-printable');
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

  it('LineBreaker folds before white space where a line has some, adding nothing', () => {
    const text = Buffer.from(`${'word '.repeat(450)}end\r\n`);
    const out = new LineBreaker('fold').push(text).toString();
    expect(longest(Buffer.from(out))).toBeLessThanOrEqual(998);
    expect(out.split('\r\n').slice(1, -1).every((l) => l.startsWith(' word'))).toBe(true);
    expect(out.replace(/\r\n(?=[ \t])/g, '')).toBe(text.toString());
    // Not in a line that starts with --: what is before the space could be a boundary alone.
    const dashes = new LineBreaker('fold').push(Buffer.from(`--b ${'x'.repeat(1500)}\r\n`)).toString();
    expect(dashes.split('\r\n')[0]).toBe(`--b ${'x'.repeat(994)}`);
  });

  it('LineBreaker never folds inside a UTF-8 character, however the body is cut into chunks', () => {
    for (const char of ['ü', '€', '😀']) {
      const text = Buffer.from(`a${char.repeat(Math.ceil(3000 / Buffer.byteLength(char)))}\r\n`);
      for (let cut = 980; cut <= 1000; cut++) {
        const breaker = new LineBreaker('fold');
        const out = Buffer.concat([breaker.push(text.subarray(0, cut)), breaker.push(text.subarray(cut))]);
        expect(longest(out)).toBeLessThanOrEqual(998);
        for (const line of out.toString('latin1').split('\r\n')) expect(isUtf8(Buffer.from(line, 'latin1'))).toBe(true);
        expect(out.toString().replace(/\r\n /g, '')).toBe(text.toString());
      }
    }
  });

  it('LineBreaker keeps every line of UTF-8 text UTF-8 and within 998 octets, losing no octet but white space', () => {
    const line = fc.array(fc.constantFrom('ü', '€', '😀', 'a', 'xyz', ' ', '\t'), { maxLength: 1500, size: 'max' }).map((a) => a.join(''));
    const words = fc.array(line, { maxLength: 3 }).map((lines) => Buffer.from(lines.join('\r\n')));
    fc.assert(
      fc.property(words, fc.array(fc.nat(), { maxLength: 5 }), (text, cuts) => {
        const breaker = new LineBreaker('fold');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let last = 0;
        const out: Buffer[] = [];
        for (const p of [...points, text.length]) {
          out.push(breaker.push(text.subarray(last, p)));
          last = p;
        }
        const all = Buffer.concat(out);
        expect(longest(all)).toBeLessThanOrEqual(998);
        for (const line of all.toString('latin1').split('\r\n')) expect(isUtf8(Buffer.from(line, 'latin1'))).toBe(true);
        expect(all.toString().replace(/\s/g, '')).toBe(text.toString().replace(/\s/g, ''));
      }),
      { numRuns: 300 },
    );
  });

  it('LineBreaker leaves a 993-octet line ending in ü as it is, wherever a chunk ends (the cut inside ü too)', () => {
    const text = Buffer.from(`${'a'.repeat(991)}ü\r\nnext\r\n`);
    for (let cut = 0; cut <= text.length; cut++) {
      const breaker = new LineBreaker('fold');
      const out = Buffer.concat([breaker.push(text.subarray(0, cut)), breaker.push(text.subarray(cut))]);
      expect([cut, out.toString('latin1')]).toEqual([cut, text.toString('latin1')]);
      expect(breaker.broke).toBe(false);
    }
  });

  it('LineBreaker folds the same however the body is cut into chunks, lines near the limit only when over it', () => {
    const chars = fc.constantFrom('ü', '€', '😀', 'a');
    /** The characters that fit in `n` octets (so the line is n-3 to n octets long). */
    const upTo = (n: number) => (a: string[]): string => {
      let bytes = 0;
      const kept = a.filter((c) => (bytes += Buffer.byteLength(c)) <= n);
      return kept.join('');
    };
    // Lines of 985 to 1010 octets (white space only in those within the limit: a fold before it
    // is looked for only in a line the chunk holds whole), and short lines between.
    const near = fc.integer({ min: 985, max: 1010 }).chain((n) =>
      fc.array(n <= 998 ? fc.oneof(chars, fc.constant(' ')) : chars, { minLength: n, maxLength: n }).map(upTo(n)),
    );
    const lines = fc.array(fc.oneof(near, fc.string({ maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, ''))), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(lines, fc.array(fc.nat(), { maxLength: 6 }), (ls, cuts) => {
        const text = Buffer.from(ls.join('\r\n'));
        const whole = new LineBreaker('fold');
        const expected = whole.push(text);
        const breaker = new LineBreaker('fold');
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        let last = 0;
        const out: Buffer[] = [];
        for (const p of [...points, text.length]) {
          out.push(breaker.push(text.subarray(last, p)));
          last = p;
        }
        expect(Buffer.concat(out).toString('latin1')).toBe(expected.toString('latin1'));
        expect(breaker.broke).toBe(whole.broke);
        expect(whole.broke).toBe(ls.some((l) => Buffer.byteLength(l) > 998));
        const within = expected.toString('latin1').split('\r\n');
        expect(longest(expected)).toBeLessThanOrEqual(998);
        for (const line of within) expect(isUtf8(Buffer.from(line, 'latin1'))).toBe(true);
        // A line within the limit keeps its bytes.
        if (!whole.broke) expect(expected.equals(text)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('QuotedPrintableEncoder keeps the white space that ends a CRLF line', () => {
    const text = Buffer.from('-- \r\nsig line\t\r\ntwo  \r\n \r\n', 'latin1');
    const enc = new QuotedPrintableEncoder();
    const out = Buffer.concat([enc.push(text), enc.end()]);
    expect(readQp(out).toString('latin1')).toBe(text.toString('latin1'));
  });

  it('QuotedPrintableEncoder round-trips any bytes in any chunking, within 76 characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 2000 }), textBytes), fc.array(fc.nat(), { maxLength: 5 }), (bytes, cuts) => {
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
        expect(all.toString('latin1')).not.toMatch(/(^|\n)-/);
        // line breaks come back as CRLF: compare with the input's LFs made CRLF
        const expected = Buffer.from(data.toString('latin1').replace(/\r?\n/g, '\n').replace(/\n/g, '\r\n'), 'latin1');
        expect(readQp(all).toString('latin1')).toBe(expected.toString('latin1'));
      }),
    );
  });
});

describe('rewrite: a broken line opens no part', () => {
  // A line over 998 octets whose tail is the multipart's delimiter: where the break falls, a
  // new line starts with `--b`, and what followed in the body would become a part of its own.
  const payload = 'Content-Type: text/html\r\n\r\n<script>alert(1)</script>';
  const bodies: [string, string, string][] = [
    ['7bit, re-encoded as quoted-printable', '7bit', `${'x'.repeat(75 * 14)}--b\r\n${payload}`],
    ['quoted-printable, soft breaks', 'quoted-printable', `${'y'.repeat(1200)}\r\n${'x'.repeat(990)}--b\r\n${payload}`],
    ['base64, broken lines', 'base64', `${'QUFB'.repeat(400)}\r\n${'QUFB'.repeat(247)}AA--b\r\n${payload}`],
  ];
  it.each(bodies)('%s', async (_name, encoding, body) => {
    const message = Buffer.from(
      ['Subject: hi', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', `Content-Transfer-Encoding: ${encoding}`, '', body, '--b', 'Content-Type: text/plain', '', 'last', '--b--', ''].join('\r\n'),
    );
    const stream = rewrite(Readable.from([message]), [{ type: 'subjectPrefix', rule: 'p', prefix: '[X] ' }]);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const out = Buffer.concat(chunks);
    expect(longest(out)).toBeLessThanOrEqual(998);
    const types = async (m: Buffer): Promise<string[]> => (await analyze(Readable.from([m]))).parts.map((p) => `${p.path} ${p.type} ${p.size}`);
    expect(await types(out)).toEqual(await types(message));
  });
});

describe('rewrite: an attached message with a long UTF-8 line', () => {
  it('is folded between characters, so it stays UTF-8', async () => {
    const message = Buffer.from(['From: a@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'hi', '--b',
      'Content-Type: message/rfc822', '', 'Subject: in', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', 'ü'.repeat(1500), '--b--', ''].join('\r\n'));
    const { out, changes } = await run(message);
    expect(changes).toEqual([{ kind: 'lines-broken', path: '2', style: 'fold' }]);
    expect(longest(out)).toBeLessThanOrEqual(998);
    expect(isUtf8(out)).toBe(true);
    expect(out.toString().replace(/\r\n /g, '')).toContain(`\r\n\r\n${'ü'.repeat(1500)}\r\n--b--`);
  });
});

describe('rewrite: long lines in a preamble or epilogue', () => {
  it('folds them (readers skip both) and keeps the parts', async () => {
    const message = Buffer.from(['Content-Type: multipart/mixed; boundary=o', '', 'p'.repeat(1500), '--o', 'Content-Type: text/plain', '', 'kept', '--o--', 'e'.repeat(1500), ''].join('\r\n'));
    const stream = rewrite(Readable.from([message]), [{ type: 'addHeader', rule: 'a', name: 'X-A', value: '1' }]);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const out = Buffer.concat(chunks).toString('latin1');
    expect(Math.max(...out.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(out).toContain('\r\n--o\r\nContent-Type: text/plain\r\n\r\nkept\r\n--o--\r\n');
    expect(out.replace(/\r\n /g, '')).toContain(`\r\n\r\n${'p'.repeat(1500)}\r\n--o`);
    expect(stream.changes).toContainEqual({ kind: 'lines-broken', path: '0', style: 'fold' });
  });
});

describe('rewrite: a notice with a long line', () => {
  it('goes out in base64 when a long file name makes a line over 998 octets', async () => {
    const name = `${'A'.repeat(2400)}.exe`;
    const message = Buffer.from(['Content-Type: multipart/mixed; boundary=o', '', '--o', 'Content-Type: application/x', '', 'MZ', '--o--', ''].join('\r\n'));
    const stream = rewrite(Readable.from([message]), [{ type: 'stripPart', rule: 's', part: { path: '1', carrier: '1', type: 'application/x', size: 2, filename: name }, notice: `Removed ${name}` }]);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const out = Buffer.concat(chunks).toString('latin1');
    expect(Math.max(...out.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    const body = /Content-Transfer-Encoding: base64\r\nContent-Disposition: inline\r\n\r\n([^-]+)\r\n--o--/.exec(out)![1]!;
    expect(Buffer.from(body, 'base64').toString()).toBe(`Removed ${name}`);
  });
});
