import { Transform, type TransformCallback } from 'node:stream';

/** Why DATA was refused by the strict reader; undefined while it is clean. */
export interface DataViolation {
  code: number;
  status: string;
  text: string;
}

/**
 * Reads DATA as a careful MTA must before relaying it: a bare CR, a bare LF or a NUL refuses the
 * message (SMTP smuggling needs a reader and a relay that disagree on line ends), lines over 998
 * octets are refused (RFC 5321 4.5.3.1.6), and so is a message over `maxSize`. The bytes still
 * flow through, so the client is read to the end and answered once.
 */
export class StrictDataReader extends Transform {
  violation: DataViolation | undefined;
  bytes = 0;
  private lineLength = 0;
  private lastWasCR = false;

  constructor(private readonly maxSize: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (!this.violation) this.inspect(chunk);
    if (!this.violation && this.maxSize > 0 && this.bytes > this.maxSize) {
      this.violation = { code: 552, status: '5.3.4', text: `Message exceeds the maximum size of ${this.maxSize} bytes` };
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (!this.violation && this.lastWasCR) this.refuse('a bare CR');
    done();
  }

  private refuse(what: string): void {
    this.violation = { code: 550, status: '5.6.0', text: `Message refused: ${what} in DATA; lines must end in CRLF` };
  }

  private inspect(chunk: Buffer): void {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.lastWasCR) {
        this.lastWasCR = false;
        if (b !== 0x0a) return this.refuse('a bare CR');
        this.lineLength = 0;
        continue;
      }
      if (b === 0x0d) {
        this.lastWasCR = true;
        continue;
      }
      if (b === 0x0a) return this.refuse('a bare LF');
      if (b === 0x00) return this.refuse('a NUL byte');
      if (++this.lineLength > 998) {
        this.violation = { code: 550, status: '5.6.0', text: 'Message refused: a line longer than 998 octets' };
        return;
      }
    }
  }
}
