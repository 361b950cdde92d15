import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import { foldLongHeaderLines } from './header-lines';
import { rewrite } from './rewrite';

const longest = (b: Buffer): number => Math.max(...b.toString('latin1').split('\r\n').map((l) => l.length));
const unfold = (block: string): string => block.replace(/\r\n(?=[ \t])/g, '');

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
});
