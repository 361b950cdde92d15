import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Base64Lines } from './base64-lines';
import { downgradeTo7bit } from './seven-bit';

async function downgrade(message: Buffer, chunk = message.length): Promise<{ out: Buffer; downgraded: unknown[] }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < message.length; i += chunk) pieces.push(message.subarray(i, i + chunk));
  const stream = downgradeTo7bit(() => Readable.from(pieces));
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks), downgraded: stream.downgraded };
}

/**
 * Each entity as Python's email package reads it: content type, transfer encoding, file name
 * and the decoded body (hex); raw UTF-8 in headers read as such (RFC 6532). What a downgrade must keep is everything but the encoding.
 */
const PARTS = `
import email, email.policy, json, sys
out = []
for name in sys.argv[1:]:
    msg = email.message_from_binary_file(open(name, 'rb'), policy=email.policy.default)
    parts = []
    for p in msg.walk():
        body = None if p.is_multipart() else (p.get_payload(decode=True) or b'')
        name = p.get_filename()
        parts.append([p.get_content_type(), name, body.hex() if body is not None else None, str(p.get('Content-Transfer-Encoding', '')).lower(), p.defects and [type(d).__name__ for d in p.defects]])
    out.append(parts)
print(json.dumps(out))
`;

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mw-7bit-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Python's reading of the message before and after. */
function pythonParts(before: Buffer, after: Buffer): [unknown[][], unknown[][]] {
  writeFileSync(join(dir, 'a.eml'), before);
  writeFileSync(join(dir, 'b.eml'), after);
  return JSON.parse(execFileSync('python3', ['-c', PARTS, join(dir, 'a.eml'), join(dir, 'b.eml')]).toString()) as [unknown[][], unknown[][]];
}

/** The same entities with the same decoded bodies, encoded in 7 bit, without defects. */
function expectSameContent(before: Buffer, after: Buffer): void {
  expect(after.every((b) => b < 0x80)).toBe(true);
  expect(after.toString('latin1').split('\r\n').every((l) => l.length <= 998)).toBe(true);
  const [a, b] = pythonParts(before, after);
  expect(b.map(([type, name, body]) => [type, name, body])).toEqual(a.map(([type, name, body]) => [type, name, body]));
  for (const part of b) {
    expect(['', '7bit', 'quoted-printable', 'base64']).toContain(part[3]);
    expect(part[4]).toEqual([]);
  }
}

const crlf = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');

const MIXED = Buffer.concat([
  crlf(`From: a@example.org
To: b@acme.example
Subject: mixed
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"
Content-Transfer-Encoding: 8bit

preamble
--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln, = signs and trailing space 
and a line
--b1
Content-Type: text/plain; charset=us-ascii

plain ascii, byte for byte
--b1
Content-Type: text/plain; charset=utf-8

Привет, мир! Это сообщение почти целиком не ASCII.
--b1
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: 7bit

`),
  Buffer.from('caf\xe9 lying 7bit\r\n', 'latin1'),
  crlf(`--b1
Content-Type: application/octet-stream
Content-Transfer-Encoding: binary
Content-Disposition: attachment; filename="blob.bin"

`),
  Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x41, 0x20, 0x7f, 0xc3, 0xa9]),
  crlf(`
--b1--
epilogue
`),
]);

describe('downgradeTo7bit', () => {
  it('re-encodes each 8-bit leaf, keeps 7-bit parts byte for byte and relabels the multipart', async () => {
    const { out, downgraded } = await downgrade(MIXED);
    expectSameContent(MIXED, out);
    const text = out.toString('latin1');
    expect(text).toContain('Content-Type: text/plain; charset=us-ascii\r\n\r\nplain ascii, byte for byte\r\n--b1');
    expect(text).toContain('Content-Type: multipart/mixed; boundary="b1"\r\nContent-Transfer-Encoding: 7bit\r\n');
    expect(text).toContain('Gr=C3=BC=C3=9Fe aus K=C3=B6ln, =3D signs and trailing space=20\r\nand a line\r\n--b1');
    expect(downgraded).toEqual([
      { path: '1', encoding: 'quoted-printable' },
      { path: '3', encoding: 'base64' }, // mostly Cyrillic: base64 is the smaller
      { path: '4', encoding: 'quoted-printable' },
      { path: '5', encoding: 'base64' },
    ]);
  });

  it('gives the same bytes however the input is cut', async () => {
    const whole = (await downgrade(MIXED)).out;
    for (const size of [1, 7, 64]) expect((await downgrade(MIXED, size)).out.equals(whole)).toBe(true);
  });

  it('leaves a 7-bit message as it is', async () => {
    const msg = crlf('Subject: hi\nContent-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: text/plain\n\nhello\n--x--\n');
    const { out, downgraded } = await downgrade(msg);
    expect(out.equals(msg)).toBe(true);
    expect(downgraded).toEqual([]);
  });

  it('makes a non-MIME 8-bit message quoted-printable MIME', async () => {
    const msg = crlf('Subject: plain\n\nGrüße aus Köln und viele andere Worte\n');
    const { out } = await downgrade(msg);
    expect(out.toString()).toBe('Subject: plain\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=C3=BC=C3=9Fe aus K=C3=B6ln und viele andere Worte\r\n');
    expectSameContent(msg, out);
    // Octets that are no UTF-8 are said to be of a charset nobody knows (RFC 1428); a UTF-8
    // character cut between chunks is still UTF-8.
    const latin = Buffer.concat([Buffer.from('Subject: plain\r\n\r\n'), Buffer.from('caf\xe9 au lait, une tasse de plus\r\n', 'latin1')]);
    expect((await downgrade(latin)).out.toString()).toContain('Content-Type: text/plain; charset=unknown-8bit\r\n');
    expect((await downgrade(msg, 1)).out.toString()).toContain('Content-Type: text/plain; charset=utf-8\r\n');
  });

  it('goes inside an inline message/rfc822 and labels it 7bit once what it holds is', async () => {
    const msg = crlf(`Subject: fwd
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="o"

--o
Content-Type: text/plain

see below
--o
Content-Type: message/rfc822
Content-Disposition: inline
Content-Transfer-Encoding: 8bit

Subject: inner
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Schöne Grüße an alle, die das hier lesen
--o--
`);
    const { out } = await downgrade(msg);
    expectSameContent(msg, out);
    const text = out.toString('latin1');
    expect(text).toContain('Content-Type: message/rfc822\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: 7bit\r\n');
    expect(text).toContain('Content-Transfer-Encoding: quoted-printable\r\n\r\nSch=C3=B6ne Gr=C3=BC=C3=9Fe an alle, die das hier lesen\r\n--o--');
  });

  it('gives an attached message/rfc822 with 8-bit octets in base64, as the rewriter does', async () => {
    const msg = crlf(`Subject: fwd
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="o"

--o
Content-Type: message/rfc822
Content-Disposition: attachment; filename="old.eml"

Subject: inner

Grüße
--o--
`);
    const { out, downgraded } = await downgrade(msg);
    expect(downgraded).toEqual([{ path: '1', encoding: 'base64' }]);
    expect(out.every((b) => b < 0x80)).toBe(true);
    const body = /filename="old.eml"\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--o--/.exec(out.toString())?.[1];
    expect(Buffer.from(body!, 'base64').toString()).toBe('Subject: inner\r\n\r\nGrüße');
  });

  it('encodes a raw UTF-8 file name as an RFC 2231 parameter', async () => {
    const msg = crlf(`Subject: files
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="o"

--o
Content-Type: application/pdf; name="Übersicht.pdf"
Content-Disposition: attachment; filename="Übersicht.pdf"
Content-Description: Jahresübersicht
Content-Transfer-Encoding: base64

JVBERi0=
--o--
`);
    const { out } = await downgrade(msg);
    expectSameContent(msg, out);
    expect(out.toString()).toContain("filename*0*=utf-8''%C3%9Cbersicht.pdf");
    expect(out.toString()).toContain('Content-Description: =?UTF-8?Q?Jahres=C3=BCbersicht?=');
  });

  it('keeps the encoding of a base64 or quoted-printable body with stray 8-bit octets', async () => {
    const msg = Buffer.concat([
      crlf('MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="o"\n\n--o\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n'),
      Buffer.from('caf\xe9 =3D\r\n--o\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nQU\xffJD\r\n--o--\r\n', 'latin1'),
    ]);
    const { out } = await downgrade(msg);
    expectSameContent(msg, out);
    expect(out.toString()).toContain('caf=E9 =3D\r\n--o');
  });

  it('replaces 8-bit octets of a preamble, which no reader shows', async () => {
    const msg = crlf('MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="o"\n\nVorwort für alle\n--o\nContent-Type: text/plain\n\nhi\n--o--\n');
    const { out } = await downgrade(msg);
    expect(out.toString()).toContain('\r\n\r\nVorwort f??r alle\r\n--o\r\n');
    expectSameContent(msg, out);
  });
});

describe('Base64Lines', () => {
  it('writes 76-character lines whatever the chunks', () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256));
    for (const size of [1, 2, 3, 57, 1000]) {
      const enc = new Base64Lines();
      const parts: Buffer[] = [];
      for (let i = 0; i < data.length; i += size) parts.push(enc.push(data.subarray(i, i + size)));
      parts.push(enc.end());
      const text = Buffer.concat(parts).toString();
      expect(text.split('\r\n').slice(0, -1).every((l) => l.length === 76)).toBe(true);
      expect(text.endsWith('\r\n')).toBe(false);
      expect(Buffer.from(text, 'base64').equals(data)).toBe(true);
    }
  });
});
