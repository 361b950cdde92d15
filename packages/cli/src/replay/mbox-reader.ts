import { PassThrough, type Readable } from 'node:stream';

/** One message of an mbox: the line its "From " separator is on, and its bytes as a stream. */
export interface MboxMessage {
  line: number;
  stream: Readable;
}

const FROM = Buffer.from('From ');
const GT = 0x3e;

/** Whether a stream starts like an mbox (its first line is a "From " separator). */
export function looksLikeMbox(head: Buffer): boolean {
  return head.subarray(0, FROM.length).equals(FROM);
}

/**
 * Splits an mbox (mboxrd) into messages as it reads: each message is streamed to the consumer
 * before the next line is read, so memory holds a line, not a message or the file. A separator is
 * a "From " line at the start or after a blank line; ">From " lines lose one ">"; the blank line
 * before each separator belongs to the separator. The consumer must
 * be done with a message (read it or drop it) before asking for the next.
 */
export async function* mboxMessages(input: Readable): AsyncGenerator<MboxMessage> {
  const lines = linesOf(input)[Symbol.asyncIterator]();
  let lineNo = 1;
  let next = await lines.next();
  let out: PassThrough | undefined;
  try {
    // Text before the first separator is not a message of the mbox.
    while (!next.done && !isSeparator(next.value)) [next, lineNo] = [await lines.next(), lineNo + 1];
    while (!next.done) {
      const stream = new PassThrough();
      out = stream;
      const start = lineNo;
      const pump = (async () => {
        let held: Buffer | undefined;
        for (;;) {
          [next, lineNo] = [await lines.next(), lineNo + 1];
          // A "From " line is a separator only after a blank line (mboxo, mboxrd): a body line
          // "From here on" that follows text is the message's own.
          if (next.done || (held !== undefined && isSeparator(next.value))) break;
          if (held) await write(stream, held);
          held = undefined;
          if (isBlank(next.value)) held = next.value;
          else await write(stream, unquoted(next.value));
        }
        stream.end();
      })().catch((err: unknown) => {
        stream.destroy(err as Error);
        throw err;
      });
      pump.catch(() => undefined); // the consumer sees the error on its stream; rethrown below
      yield { line: start, stream };
      // The consumer is done: anything it left unread is skipped, not written.
      if (!stream.writableEnded) stream.destroy();
      await pump;
    }
  } finally {
    out?.destroy();
    input.destroy();
  }
}

async function write(out: PassThrough, line: Buffer): Promise<void> {
  if (out.destroyed || out.write(line)) return;
  await new Promise<void>((resolve) => {
    out.once('drain', resolve);
    out.once('close', resolve);
  });
}

function isSeparator(line: Buffer): boolean {
  return line.subarray(0, FROM.length).equals(FROM);
}

function isBlank(line: Buffer): boolean {
  return (line.length === 1 && line[0] === 0x0a) || (line.length === 2 && line[0] === 0x0d && line[1] === 0x0a);
}

// mboxrd: a writer adds one ">" to every line that is ">"s then "From "; the reader takes one off.
function unquoted(line: Buffer): Buffer {
  let i = 0;
  while (line[i] === GT) i += 1;
  return i > 0 && line.subarray(i, i + FROM.length).equals(FROM) ? line.subarray(1) : line;
}

/** The lines of a byte stream, each with its line end (the last may have none). */
async function* linesOf(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest: Buffer[] = [];
  for await (const chunk of input) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, nl + 1);
      yield rest.length > 0 ? Buffer.concat([...rest, piece]) : piece;
      rest = [];
      start = nl + 1;
    }
    if (start < chunk.length) rest.push(chunk.subarray(start));
  }
  if (rest.length > 0) yield Buffer.concat(rest);
}
