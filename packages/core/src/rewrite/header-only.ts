import { PassThrough, Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { Headers } from '@zone-eu/mailsplit';
import type { Effect } from '../engine/effect';
import type { RewriteChange } from './change';
import { editHeaders } from './header-edits';

type HeaderEffect = Parameters<typeof editHeaders>[1][number];

const HEAD_LIMIT = 1024 * 1024;

/**
 * The fast path when every effect edits the top-level header block: read up to the blank line,
 * edit it, and copy the body bytes as they are, without parsing MIME a second time.
 */
export function rewriteHeadersOnly(input: Readable, effects: HeaderEffect[], secret: string, changes: RewriteChange[]): Readable {
  let head: Buffer | undefined = Buffer.alloc(0);
  const emitHead = (stream: Transform, block: Buffer, rest: Buffer): void => {
    const headers = new Headers(block);
    editHeaders(headers, effects, secret, changes);
    stream.push(changes.length > 0 ? headers.build() : block);
    if (rest.length > 0) stream.push(rest);
  };
  const edit = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!head) return done(null, chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      const lf = head.indexOf('\n\n');
      const cut = end >= 0 && (lf < 0 || end < lf) ? end + 4 : lf >= 0 ? lf + 2 : -1;
      if (cut >= 0 || head.length > HEAD_LIMIT) {
        const at = cut >= 0 ? cut : head.length;
        const block = head.subarray(0, at);
        const rest = head.subarray(at);
        head = undefined;
        emitHead(this, block, rest);
      }
      done();
    },
    flush(done: TransformCallback) {
      // A message that is all header: edit what there is.
      if (head && head.length > 0) emitHead(this, head, Buffer.alloc(0));
      head = undefined;
      done();
    },
  });
  const output = new PassThrough();
  pipeline(input, edit, output, (err) => {
    if (err) output.destroy(err);
  });
  return output;
}

/** True when no effect needs the MIME structure (no part strip or drop, no HTML edit). */
export function headersOnly(effects: readonly Effect[]): boolean {
  return effects.every((e) => e.type !== 'stripPart' && e.type !== 'dropPart' && e.type !== 'stripHtml');
}
