import { fc, test } from '@fast-check/jest';
import { StrictDataReader, type DataViolation } from '../src/strict-data';

/** The reader's rules, one octet at a time: the plain statement the fast reader must agree with. */
function octetByOctet(data: Buffer): DataViolation | undefined {
  let lineLength = 0;
  let lastWasCR = false;
  const refuse = (what: string): DataViolation => ({ code: 550, status: '5.6.0', text: `Message refused: ${what} in DATA; ${what === 'a NUL byte' ? 'mail may not contain NUL' : 'lines must end in CRLF'}` });
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (lastWasCR) {
      lastWasCR = false;
      if (b !== 0x0a) return refuse('a bare CR');
      lineLength = 0;
      continue;
    }
    if (b === 0x0d) {
      lastWasCR = true;
      continue;
    }
    if (b === 0x0a) return refuse('a bare LF');
    if (b === 0x00) return refuse('a NUL byte');
    if (++lineLength > 998) return { code: 550, status: '5.6.0', text: 'Message refused: a line longer than 998 octets' };
  }
  return lastWasCR ? refuse('a bare CR') : undefined;
}

async function read(chunks: Buffer[], maxSize: number): Promise<StrictDataReader> {
  const reader = new StrictDataReader(maxSize);
  reader.resume();
  for (const c of chunks) reader.write(c);
  await new Promise<void>((resolve) => reader.end(resolve));
  return reader;
}

/** Lines that are mostly clean, with the octets that matter (CR, LF, NUL, long runs) mixed in. */
const line = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 80 }).map((s) => `${s.replace(/[\r\n\0]/g, 'x')}\r\n`) },
  { weight: 1, arbitrary: fc.integer({ min: 990, max: 1005 }).map((n) => `${'y'.repeat(n)}\r\n`) },
  { weight: 1, arbitrary: fc.constantFrom('\r', '\n', '\0', '\r\r\n', 'a\nb\r\n', '\r\n') },
);

const cuts = fc.array(fc.nat(), { maxLength: 6 });

function cut(data: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((n) => n % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(data.subarray(from, p));
    from = p;
  }
  chunks.push(data.subarray(from));
  return chunks;
}

describe('StrictDataReader', () => {
  test.prop([fc.array(line, { maxLength: 30 }), cuts])('refuses what an octet-by-octet reader refuses, however DATA is chunked', async (lines, at) => {
    const data = Buffer.from(lines.join(''), 'latin1');
    const reader = await read(cut(data, at), 0);
    expect(reader.violation).toEqual(octetByOctet(data));
    expect(reader.bytes).toBe(data.length);
    // With a size limit too, a message is refused when either rule says so (which one is named
    // depends on where the chunks fall, as it always has).
    const limited = await read(cut(data, at), 2000);
    expect(limited.violation !== undefined).toBe(octetByOctet(data) !== undefined || data.length > 2000);
  });

  it('passes a clean 5 MB message in 64 KiB chunks, and finds a bare LF near its end', async () => {
    const clean = Buffer.from('Subject: big\r\n\r\n' + `${'A'.repeat(76)}\r\n`.repeat(70_000));
    const chunks = Array.from({ length: Math.ceil(clean.length / 65536) }, (_, i) => clean.subarray(i * 65536, (i + 1) * 65536));
    expect((await read(chunks, 0)).violation).toBeUndefined();
    const dirty = Buffer.concat([clean, Buffer.from('tail\nline\r\n')]);
    expect((await read([dirty], 0)).violation?.text).toMatch(/bare LF/);
  });

  it('says a NUL is refused for itself, not for how lines end', async () => {
    expect((await read([Buffer.from('Subject: x\r\n\r\na\0b\r\n')], 0)).violation?.text).toBe('Message refused: a NUL byte in DATA; mail may not contain NUL');
  });
});
