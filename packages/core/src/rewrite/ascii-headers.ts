import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { headersOf } from './first-line';
import { pipeInto } from './pipe-into';
import { sevenBitHeaders } from './seven-bit-headers';

/** Most of a header section held while looking for its end; past it the rest goes as it is. */
const HEAD_LIMIT = 1024 * 1024;

/** Where the header section ends (after its blank line), or -1 while it has not. */
function headEnd(head: Buffer): number {
  if (head[0] === 0x0d && head[1] === 0x0a) return 2;
  const end = head.indexOf('\r\n\r\n');
  return end >= 0 ? end + 4 : -1;
}

/**
 * The message with its header section in 7 bit for a hop without SMTPUTF8 (the RFC 6532
 * downgrade, as far as encoded words go: see sevenBitHeaders), its body copied byte for byte
 * (8-bit still, for a hop with 8BITMIME). The input has CRLF line ends, as the rewriter gives.
 */
export function asciiHeaders(input: Readable): Readable {
  let head: Buffer | undefined = Buffer.alloc(0);
  const emit = (stream: Transform, block: Buffer, rest: Buffer): void => {
    stream.push(sevenBitHeaders(headersOf(block)).build());
    if (rest.length > 0) stream.push(rest);
  };
  const edit = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      if (!head) return done(null, chunk);
      head = head.length > 0 ? Buffer.concat([head, chunk]) : chunk;
      const cut = headEnd(head);
      if (cut >= 0 || head.length > HEAD_LIMIT) {
        const at = cut >= 0 ? cut : head.length;
        const block = head;
        head = undefined;
        emit(this, block.subarray(0, at), block.subarray(at));
      }
      done();
    },
    flush(done: TransformCallback) {
      if (head && head.length > 0) emit(this, head, Buffer.alloc(0)); // all header, no body
      head = undefined;
      done();
    },
  });
  return pipeInto(input, edit);
}
