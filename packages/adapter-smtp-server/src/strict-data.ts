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
    // A NUL is refused for itself (RFC 5322 allows none), not for how a line ends.
    const why = what === 'a NUL byte' ? 'mail may not contain NUL' : 'lines must end in CRLF';
    this.violation = { code: 550, status: '5.6.0', text: `Message refused: ${what} in DATA; ${why}` };
  }

  /** Line by line with indexOf, not byte by byte: a 5 MB message is 70,000 lines, not 5 million steps. */
  private inspect(chunk: Buffer): void {
    let i = 0;
    if (this.lastWasCR && chunk.length > 0) {
      this.lastWasCR = false;
      if (chunk[0] !== 0x0a) return this.refuse('a bare CR');
      this.lineLength = 0;
      i = 1;
    }
    const nul = chunk.indexOf(0x00, i);
    let lf = chunk.indexOf(0x0a, i);
    while (i < chunk.length) {
      const cr = chunk.indexOf(0x0d, i);
      const end = cr < 0 ? chunk.length : cr;
      if (lf >= 0 && lf < i) lf = chunk.indexOf(0x0a, i);
      // The first offending octet of the line's content decides, as a byte-by-byte reader would.
      const tooLong = i + 998 - this.lineLength;
      const first = Math.min(lf >= 0 && lf < end ? lf : end, nul >= i && nul < end ? nul : end, tooLong < end ? tooLong : end);
      if (first < end) {
        if (first === lf) return this.refuse('a bare LF');
        if (first === nul) return this.refuse('a NUL byte');
        this.violation = { code: 550, status: '5.6.0', text: 'Message refused: a line longer than 998 octets' };
        return;
      }
      this.lineLength += end - i;
      if (cr < 0) return;
      if (cr + 1 === chunk.length) {
        this.lastWasCR = true;
        return;
      }
      if (chunk[cr + 1] !== 0x0a) return this.refuse('a bare CR');
      this.lineLength = 0;
      i = cr + 2;
    }
  }
}
