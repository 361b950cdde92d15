import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';

const END_OF_HEADER = Buffer.from('\r\n\r\n');

/**
 * Whether the message as it leaves has 8-bit octets in its header section (RFC 6532: only over
 * SMTPUTF8) and in its body (RFC 6152: only over 8BITMIME). Read from the outgoing stream, since
 * the client's BODY= says neither (clients send BODY=8BITMIME for ASCII mail, and 8-bit mail
 * without it), only when a hop's extensions make it matter, and once per delivery attempt: the
 * header section alone when that is all that is asked, which is the first few hundred bytes.
 */
export class MessageOctets {
  private header: Promise<boolean> | undefined;
  private body: Promise<boolean> | undefined;

  constructor(private readonly open: () => Readable) {}

  /** 8-bit octets in the header section. */
  headerIs8bit(): Promise<boolean> {
    this.header ??= this.read(false).then((r) => r.header);
    return this.header;
  }

  /** 8-bit octets in the body. */
  bodyIs8bit(): Promise<boolean> {
    if (!this.body) {
      const read = this.read(true);
      this.header ??= read.then((r) => r.header);
      this.body = read.then((r) => r.body);
    }
    return this.body;
  }

  private async read(wholeBody: boolean): Promise<{ header: boolean; body: boolean }> {
    const stream = this.open();
    let header = false;
    let body = false;
    let inHeader = true;
    let tail = Buffer.from('\r\n'); // a message that starts with its blank line has no header field
    try {
      for await (const piece of stream) {
        let chunk = piece as Buffer;
        if (inHeader) {
          const seen = Buffer.concat([tail, chunk]);
          const end = seen.indexOf(END_OF_HEADER);
          if (end < 0) {
            header ||= !isAscii(chunk);
            tail = Buffer.from(seen.subarray(-3));
            continue;
          }
          const bodyStart = end + END_OF_HEADER.length - tail.length; // in `chunk`
          header ||= !isAscii(chunk.subarray(0, Math.max(0, bodyStart)));
          inHeader = false;
          if (!wholeBody) break;
          chunk = chunk.subarray(Math.max(0, bodyStart));
        }
        if (!isAscii(chunk)) {
          body = true;
          break;
        }
      }
    } finally {
      stream.destroy();
    }
    return { header, body };
  }
}
