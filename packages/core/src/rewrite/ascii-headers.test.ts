import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { asciiHeaders } from './ascii-headers';
import { unencodableField } from './seven-bit-headers';

async function run(message: Buffer, chunk = message.length): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < message.length; i += chunk) pieces.push(message.subarray(i, i + chunk));
  const out: Buffer[] = [];
  for await (const c of asciiHeaders(Readable.from(pieces))) out.push(c as Buffer);
  return Buffer.concat(out);
}

/** The header fields as Python's email reads them (RFC 2047 decoded, raw UTF-8 taken as such). */
function pythonHeaders(message: Buffer): [string, string][] {
  const script = 'import email,email.policy,json,sys\nm=email.message_from_bytes(sys.stdin.buffer.read(),policy=email.policy.default)\nprint(json.dumps([[k,str(v)] for k,v in m.items()]))';
  return JSON.parse(execFileSync('python3', ['-c', script], { input: message }).toString()) as [string, string][];
}

const MESSAGE = Buffer.from([
  'Received: from client.test by gw.test; Tue, 1 Dec 2026 10:00:00 +0000',
  'From: "Müller, Jörg" <j@example.org>',
  'To: Ünal <u@acme.example>, plain@acme.example',
  'Subject: Grüße aus Köln',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Grüße, the body stays 8-bit',
  '',
].join('\r\n'));

describe('asciiHeaders', () => {
  it('encodes the UTF-8 header fields so they read the same, and leaves the body and ASCII fields alone', async () => {
    const out = await run(MESSAGE);
    const [head, body] = [out.subarray(0, out.indexOf('\r\n\r\n') + 4), out.subarray(out.indexOf('\r\n\r\n') + 4)];
    expect(head.every((b) => b < 0x80)).toBe(true);
    expect(body.equals(MESSAGE.subarray(MESSAGE.indexOf('\r\n\r\n') + 4))).toBe(true);
    expect(head.toString()).toContain('Received: from client.test by gw.test; Tue, 1 Dec 2026 10:00:00 +0000\r\n');
    expect(head.toString()).toContain(', plain@acme.example\r\n');
    expect(pythonHeaders(out)).toEqual(pythonHeaders(MESSAGE));
  });

  it('gives the same bytes however the input is cut, and a 7-bit header section as it is', async () => {
    const whole = await run(MESSAGE);
    for (const size of [1, 5, 40]) expect((await run(MESSAGE, size)).equals(whole)).toBe(true);
    const ascii = Buffer.from('Subject: hi\r\n\r\nGrüße\r\n');
    expect((await run(ascii)).equals(ascii)).toBe(true);
  });

  it('writes a UTF-8 trace field with ? for what is not ASCII', async () => {
    const out = await run(Buffer.from('Received: from a by b for <jörg@example.org>; Tue, 1 Dec 2026\r\nSubject: x\r\n\r\nbody\r\n'));
    expect(out.toString()).toBe('Received: from a by b for <j?rg@example.org>; Tue, 1 Dec 2026\r\nSubject: x\r\n\r\nbody\r\n');
  });
});

describe('unencodableField', () => {
  it('names a field whose UTF-8 no encoded word can carry: an address, a message id', () => {
    expect(unencodableField(Buffer.from('Subject: Grüße\r\nFrom: "Jörg" <j@example.org>\r\n\r\n'))).toBeUndefined();
    expect(unencodableField(Buffer.from('Subject: ok\r\nFrom: jörg@example.org\r\n\r\n'))).toBe('From');
    expect(unencodableField(Buffer.from('Message-ID: <grüße@example.org>\r\n\r\n'))).toBe('Message-ID');
    expect(unencodableField(Buffer.from('Received: from a by b for <jörg@example.org>; Tue, 1 Dec 2026\r\n\r\n'))).toBeUndefined();
  });
});
