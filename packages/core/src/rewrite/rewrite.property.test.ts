import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import type { Effect } from '../engine/effect';
import { analyze } from '../message/analyze';
import { rewrite } from './rewrite';

/** A generated MIME entity: a leaf with a body, or a multipart with children. */
type Entity = { kind: 'leaf'; type: string; body: string } | { kind: 'multi'; boundary: string; preamble: string; epilogue: string; children: Entity[] };

const line = fc.stringMatching(/^[ -~]{0,90}$/).filter((l) => !l.startsWith('--'));
const leaf = fc.record({
  kind: fc.constant('leaf' as const),
  type: fc.constantFrom('text/plain', 'text/html', 'application/octet-stream; name="a.exe"', 'image/png'),
  body: fc.array(line, { maxLength: 6 }).map((ls) => ls.join('\r\n')),
});
const { entity } = fc.letrec<{ entity: Entity }>((tie) => ({
  entity: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({
      kind: fc.constant('multi' as const),
      boundary: fc.stringMatching(/^[A-Za-z0-9'()+_,.=?-]{1,20}$/),
      preamble: fc.array(line, { maxLength: 2 }).map((ls) => ls.join('\r\n')),
      epilogue: fc.array(line, { maxLength: 2 }).map((ls) => ls.join('\r\n')),
      children: fc.array(tie('entity'), { minLength: 1, maxLength: 3 }),
    }),
  ),
}));
const headerLine = fc.tuple(fc.constantFrom('X-A', 'Received', 'Subject', 'From', 'x-lower'), fc.stringMatching(/^[ -~]{0,60}$/), fc.boolean())
  .map(([n, v, fold]) => (fold ? `${n}: ${v}\r\n\t${v}` : `${n}: ${v}`));

// Boundaries must differ by nesting level or the message means something else; suffix the depth.
function render(e: Entity, depth = 0): string {
  if (e.kind === 'leaf') return `Content-Type: ${e.type}\r\n\r\n${e.body}`;
  const b = `${e.boundary}_${depth}`;
  const parts = e.children.map((c) => `--${b}\r\n${render(c, depth + 1)}\r\n`).join('');
  return `Content-Type: multipart/mixed; boundary="${b}"\r\n\r\n${e.preamble}\r\n${parts}--${b}--\r\n${e.epilogue}`;
}

const chunked = (data: Buffer, cuts: number[]): Readable => {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    chunks.push(data.subarray(last, p));
    last = p;
  }
  chunks.push(data.subarray(last));
  return Readable.from(chunks.filter((c) => c.length > 0));
};

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const message = fc.tuple(fc.array(headerLine, { maxLength: 5 }), entity).map(([hs, e]) => Buffer.from([...hs, render(e)].join('\r\n'), 'latin1'));

describe('rewrite with no message effects is the identity', () => {
  it('on generated MIME messages cut into arbitrary chunks', async () => {
    await fc.assert(
      fc.asyncProperty(message, fc.array(fc.nat(), { maxLength: 8 }), async (data, cuts) => {
        const out = await collect(rewrite(chunked(data, cuts), [{ type: 'log', rule: 'r', text: 'x' }]));
        expect(out.toString('latin1')).toBe(data.toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });

  it('on generated messages through the full MIME path (a part effect that matches nothing)', async () => {
    const nothing: Effect[] = [{ type: 'dropPart', rule: 'r', part: { path: '99', carrier: '99', type: 'x/y', size: 0 } }];
    await fc.assert(
      fc.asyncProperty(message, fc.array(fc.nat(), { maxLength: 8 }), async (data, cuts) => {
        const out = await collect(rewrite(chunked(data, cuts), nothing));
        expect(out.toString('latin1')).toBe(data.toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(), { maxLength: 6 }), async (bytes, cuts) => {
        const data = Buffer.from(bytes);
        expect((await collect(rewrite(chunked(data, cuts), []))).equals(data)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('on the example fixtures with damage and arbitrary chunks', async () => {
    const dir = join(__dirname, '../../../../examples');
    const fixtures = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(join(dir, f)));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...fixtures),
        fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        async (fixture, edits, cuts) => {
          const data = Buffer.from(fixture);
          for (const e of edits) data[e.at % data.length] = e.byte;
          expect((await collect(rewrite(chunked(data, cuts), []))).equals(data)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('stripping one part of a generated message', () => {
  it('keeps every other leaf body byte-identical and the structure parseable', async () => {
    await fc.assert(
      fc.asyncProperty(message, fc.nat(), fc.array(fc.nat(), { maxLength: 4 }), async (data, pick, cuts) => {
        const before = await analyze(Readable.from([data]));
        const leaves = before.parts.filter((p) => !p.multipart && !p.inArchive);
        const target = leaves[pick % leaves.length]!;
        const effects: Effect[] = [{ type: 'stripPart', rule: 'r', part: { path: target.path, carrier: target.carrier, type: target.type, size: target.size }, notice: 'NOTICE' }];
        const out = await collect(rewrite(chunked(data, cuts), effects));
        const after = await analyze(Readable.from([out]));
        // Same tree shape: the carrier is now a text/plain leaf, every other entity as before.
        expect(after.parts.map((p) => p.path)).toEqual(before.parts.filter((p) => p.carrier === p.path).map((p) => p.path));
        for (const p of after.parts) {
          const old = before.parts.find((q) => q.path === p.path)!;
          // (a notice that is the whole message body gets the message's last line end)
          if (p.path === target.carrier) expect(p).toMatchObject({ type: 'text/plain', size: 'NOTICE'.length + (p.path === '0' ? 2 : 0) });
          else expect([p.type, p.size]).toEqual([old.type, old.size]);
        }
        expect(out.toString('latin1').split('NOTICE')).toHaveLength(2);
      }),
      { numRuns: 200 },
    );
  });
});
