import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import type { Verdict } from '../engine/stage';
import { rewrite } from '../rewrite/rewrite';
import type { ExpectedOutput } from './case';
import { decodedText } from './output-text';

/** The key of masqueraded Message-IDs in a case's output, so that an expected file can hold them. */
export const OUTPUT_SECRET = 'mailward-test';

/** The message as it would be delivered: its effects applied, as the gateway applies them. */
export async function deliveredBytes(raw: Buffer, effects: readonly Effect[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of rewrite(Readable.from([raw]), effects, { secret: OUTPUT_SECRET })) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The lines of a message, line ends aside: a file saved without its last line end is the same message. */
const lines = (text: string): string[] => text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');

/** Compares a case's `output` with the delivered message; one line per difference. */
export async function compareOutput(expected: string | ExpectedOutput, raw: Buffer, effects: readonly Effect[], verdict: Verdict, baseDir: string): Promise<string[]> {
  // A quarantined message is compared as a release delivers it; the others reach no one.
  if (verdict === 'reject' || verdict === 'tempfail') return [`output: the message was not taken (${verdict}), so nothing is delivered to compare`];
  if (verdict === 'drop') return ['output: the message is discarded (drop), so nothing is delivered to compare'];
  const bytes = await deliveredBytes(raw, effects);
  const got = bytes.toString('utf8');
  if (typeof expected !== 'string') {
    // Text is looked for in the bytes and in what a reader sees (bodies and encoded words
    // decoded): a `lacks` of base64-encoded body text must not pass without looking.
    const texts = [got.replace(/\r\n/g, '\n'), decodedText(bytes)];
    const holds = (want: string): boolean => texts.some((text) => text.includes(want.replace(/\r\n/g, '\n')));
    const failures: string[] = [];
    for (const want of expected.contains ?? []) if (!holds(want)) failures.push(`output: expected it to contain ${JSON.stringify(want)}`);
    for (const bad of expected.lacks ?? []) if (holds(bad)) failures.push(`output: expected it not to contain ${JSON.stringify(bad)}`);
    return failures;
  }
  const path = isAbsolute(expected) ? expected : resolve(baseDir, expected);
  let want: string;
  try {
    want = readFileSync(path, 'utf8');
  } catch (err) {
    return [`output: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); for an accepted message, \`mailward eval POLICY MESSAGE --out FILE\` writes one to start from`];
  }
  const a = lines(want);
  const b = lines(got);
  const at = a.findIndex((line, i) => line !== b[i]);
  if (at < 0 && a.length === b.length) return [];
  const line = at < 0 ? Math.min(a.length, b.length) : at;
  const show = (l: string | undefined): string => (l === undefined ? '(end of message)' : JSON.stringify(l));
  return [`output: differs from ${expected} at line ${line + 1}: expected ${show(a[line])}, got ${show(b[line])}`];
}
