import { Readable } from 'node:stream';
import fc from 'fast-check';
import { CrlfLines } from './crlf';
import { rewrite } from './rewrite';

async function normalize(pieces: Buffer[]): Promise<string> {
  const lines = new CrlfLines();
  const out = pieces.map((p) => lines.push(p));
  const owed = lines.end();
  return Buffer.concat(owed ? [...out, owed] : out).toString('latin1');
}

describe('CrlfLines', () => {
  it('turns bare LF and bare CR into CRLF and leaves CRLF alone', async () => {
    expect(await normalize([Buffer.from('a\nb\rc\r\nd\r')])).toBe('a\r\nb\r\nc\r\nd\r\n');
  });

  it('gives the same result however the input is cut, and only CRLF line ends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('a', 'b', '\r', '\n', '\r\n', '.'), { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 5 }), async (parts, cuts) => {
        const text = parts.join('');
        const data = Buffer.from(text, 'latin1');
        const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((x, y) => x - y);
        const pieces: Buffer[] = [];
        let last = 0;
        for (const p of points) {
          pieces.push(data.subarray(last, p));
          last = p;
        }
        pieces.push(data.subarray(last));
        const whole = await normalize([data]);
        expect(await normalize(pieces)).toBe(whole);
        expect(whole.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        expect(whole.replace(/\r\n/g, '\n')).toBe(text.replace(/\r\n|\r|\n/g, '\n'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('rewrite output line ends', () => {
  const lfMessage = 'From: a@example.org\nX-Mailer: x\nSubject: hi\n\nline one\nline two\n';
  const read = async (s: NodeJS.ReadableStream): Promise<string> => {
    const out: Buffer[] = [];
    for await (const c of s as AsyncIterable<Buffer>) out.push(c);
    return Buffer.concat(out).toString('latin1');
  };

  it('is CRLF throughout once the message is changed', async () => {
    const out = await read(rewrite(Readable.from([Buffer.from(lfMessage)]), [{ type: 'removeHeaders', rule: 'r', names: ['X-Mailer'] }]));
    expect(out).toBe('From: a@example.org\r\nSubject: hi\r\n\r\nline one\r\nline two\r\n');
  });

  it('is the input, byte for byte, when nothing is changed', async () => {
    expect(await read(rewrite(Readable.from([Buffer.from(lfMessage)]), []))).toBe(lfMessage);
  });
});
