import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';

const END_OF_HEADER = Buffer.from('\r\n\r\n');
/** Most of an 8-bit header section kept for the header downgrade to check (see headerBlock). */
const HEADER_KEPT = 256 * 1024;

interface Octets {
  header: boolean;
  body: boolean;
  /** The header section, when it has 8-bit octets and is within HEADER_KEPT. */
  block?: Buffer;
}

/**
 * Whether the message as it leaves has 8-bit octets in its header section (RFC 6532: only over
 * SMTPUTF8) and in its body (RFC 6152: only over 8BITMIME). Read from the outgoing stream, since
 * the client's BODY= says neither (clients send BODY=8BITMIME for ASCII mail, and 8-bit mail
 * without it), only when a hop's extensions make it matter, and once per delivery attempt: the
 * header section alone when that is all that is asked, which is the first few hundred bytes.
 */
export class MessageOctets {
  private header: Promise<Octets> | undefined;
  private body: Promise<boolean> | undefined;

  constructor(private readonly open: () => Readable) {}

  /** 8-bit octets in the header section. */
  headerIs8bit(): Promise<boolean> {
    this.header ??= this.read(false);
    return this.header.then((r) => r.header);
  }

  /** An 8-bit header section itself (undefined when it is 7-bit, or too big to keep). */
  headerBlock(): Promise<Buffer | undefined> {
    this.header ??= this.read(false);
    return this.header.then((r) => r.block);
  }

  /** 8-bit octets in the body. */
  bodyIs8bit(): Promise<boolean> {
    if (!this.body) {
      const read = this.read(true);
      this.header ??= read;
      this.body = read.then((r) => r.body);
    }
    return this.body;
  }

  private async read(wholeBody: boolean): Promise<Octets> {
    const stream = this.open();
    const kept: Buffer[] = [];
    let keptSize = 0;
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
            keptSize += chunk.length;
            if (keptSize <= HEADER_KEPT) kept.push(chunk);
            tail = Buffer.from(seen.subarray(-3));
            continue;
          }
          const bodyStart = end + END_OF_HEADER.length - tail.length; // in `chunk`
          header ||= !isAscii(chunk.subarray(0, Math.max(0, bodyStart)));
          keptSize += Math.max(0, bodyStart);
          if (keptSize <= HEADER_KEPT) kept.push(chunk.subarray(0, Math.max(0, bodyStart)));
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
    const block = header && keptSize <= HEADER_KEPT ? Buffer.concat(kept) : undefined;
    return { header, body, ...(block ? { block } : {}) };
  }
}
