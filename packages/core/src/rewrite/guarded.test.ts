import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import { rewrite } from './rewrite';

// An effect the rewriter cannot carry out (here a match that is no glob, which a loaded policy
// never gives) threw out of the Transform: an uncaught exception, not an error of the stream.
const bad: Effect = { type: 'rewriteHeader', rule: 'r', header: 'To', match: '{unclosed', to: 'x' };
const collect = async (effects: Effect[], linesWithinLimit: boolean): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of rewrite(Readable.from([Buffer.from('To: a@b.example\r\n\r\nbody\r\n')]), effects, { linesWithinLimit })) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

it.each([
  ['parsed', [bad, { type: 'dropPart', rule: 'd', part: { path: '0', carrier: '0', type: 'text/plain', size: 6 } }] as Effect[], false],
  ['header-only', [bad], true],
])('a failing edit errors the %s stream', async (_name, effects, linesWithinLimit) => {
  await expect(collect(effects, linesWithinLimit)).rejects.toThrow(/unclosed/);
});
