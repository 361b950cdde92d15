import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { headersOf } from './first-line';
import { guarded } from './guarded';
import type { Effect } from '../engine/effect';
import type { RewriteChange } from './change';
import { CrlfLines } from './crlf';
import { editHeaders, HEADER_EFFECTS } from './header-edits';
import { foldLongHeaderLines } from './header-lines';
import { pipeInto } from './pipe-into';

type HeaderEffect = Parameters<typeof editHeaders>[1][number];

const HEAD_LIMIT = 1024 * 1024;

/**
 * Where the header block ends (after its blank line), or -1 while it has not. A blank first line
 * is an empty block, as analysis reads it: the lines after it are body, whatever they look like.
 */
function headEnd(head: Buffer): number {
  if (head[0] === 0x0a) return 1;
  if (head[0] === 0x0d && head[1] === 0x0a) return 2;
  const end = head.indexOf('\r\n\r\n');
  const lf = head.indexOf('\n\n');
  return end >= 0 && (lf < 0 || end < lf) ? end + 4 : lf >= 0 ? lf + 2 : -1;
}

/**
 * The fast path when every effect edits the top-level header block: read up to the blank line,
 * edit it, and copy the body bytes as they are, without parsing MIME a second time. With effects
 * the output has CRLF line ends; with none it is the input, byte for byte.
 */
export function rewriteHeadersOnly(input: Readable, effects: HeaderEffect[], secret: string, changes: RewriteChange[]): Readable {
  const lines = effects.length > 0 ? new CrlfLines() : undefined;
  let head: Buffer | undefined = Buffer.alloc(0);
  const emitHead = (stream: Transform, block: Buffer, rest: Buffer): void => {
    const edited = editHeaders(headersOf(block), effects, secret, changes) ?? block;
    const folded = lines ? foldLongHeaderLines(edited) : undefined; // with no effects, nothing changes
    if (folded) changes.push({ kind: 'header-refolded', path: '0', names: folded.names });
    stream.push(folded?.block ?? edited);
    if (rest.length > 0) stream.push(rest);
  };
  const edit = new Transform({
    transform(raw: Buffer, _enc, done: TransformCallback) {
      guarded(() => {
        const chunk = lines ? lines.push(raw) : raw;
        if (!head) return done(null, chunk);
        head = head.length > 0 ? Buffer.concat([head, chunk]) : chunk;
        const cut = headEnd(head);
        if (cut >= 0 || head.length > HEAD_LIMIT) {
          const at = cut >= 0 ? cut : head.length;
          const block = head.subarray(0, at);
          const rest = head.subarray(at);
          head = undefined;
          emitHead(this, block, rest);
        }
        done();
      }, done);
    },
    flush(done: TransformCallback) {
      guarded(() => {
        const owed = lines?.end();
        if (owed) head = head ? Buffer.concat([head, owed]) : undefined;
        // A message that is all header: edit what there is.
        if (head && head.length > 0) emitHead(this, head, Buffer.alloc(0));
        else if (owed && !head) this.push(owed);
        head = undefined;
        if (lines?.changed) changes.push({ kind: 'line-ends-normalized' });
        done();
      }, done);
    },
  });
  return pipeInto(input, edit);
}

/**
 * What the header effects would change in a message's top-level header block, by rule, without
 * writing anything (replay counts the messages each rule edits with it): the block is read, the
 * rest of the message is not.
 */
export async function headerChanges(input: Readable, effects: readonly Effect[], secret: string): Promise<RewriteChange[]> {
  let head = Buffer.alloc(0);
  for await (const chunk of input) {
    head = Buffer.concat([head, chunk as Buffer]);
    if (headEnd(head) >= 0 || head.length > HEAD_LIMIT) break; // ends the stream
  }
  const cut = headEnd(head);
  const block = new CrlfLines().push(head.subarray(0, cut >= 0 ? cut : head.length));
  const changes: RewriteChange[] = [];
  editHeaders(headersOf(block), effects.filter((e): e is HeaderEffect => HEADER_EFFECTS.has(e.type)), secret, changes);
  return changes;
}

/** True when no effect needs the MIME structure (no part strip or drop, no HTML edit). */
export function headersOnly(effects: readonly Effect[]): boolean {
  return effects.every((e) => e.type !== 'stripPart' && e.type !== 'dropPart' && e.type !== 'stripHtml');
}
