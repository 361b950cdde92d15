import type { Readable } from 'node:stream';

/** How much of a header block a bounce quotes at most. */
const LIMIT = 256 * 1024;

/**
 * The top-level header block of a message as it went out (read from the rewritten stream, so
 * what the policy removed or masqueraded stays out of a bounce, in the form its hop was sent:
 * message-form), CRLF line ends, without the
 * empty line: its bytes as they were, UTF-8 or not. The stream is destroyed once the block is
 * read: the body is not needed.
 */
export function sentHeaders(message: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let text = '';
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      message.removeAllListeners('data');
      message.destroy();
      const end = text.search(/\r?\n\r?\n/);
      // latin1 maps each byte to one character and back: the bytes come out as they went in.
      resolve(Buffer.from((end < 0 ? text : text.slice(0, end)).slice(0, LIMIT).replace(/\r?\n/g, '\r\n'), 'latin1'));
    };
    message.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (/\r?\n\r?\n/.test(text) || text.length >= LIMIT) finish();
    });
    message.once('end', finish);
    message.once('error', reject);
  });
}
