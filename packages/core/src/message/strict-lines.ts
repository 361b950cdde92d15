/** Why DATA was refused by the strict check. */
export interface DataViolation {
  code: number;
  status: string;
  text: string;
}

/**
 * DATA read as a careful MTA must before relaying it: a bare CR, a bare LF or a NUL refuses the
 * message (SMTP smuggling needs a reader and a relay that disagree on line ends), and so does a
 * line over 998 octets (RFC 5321 4.5.3.1.6); the first offending octet decides, as a byte-by-byte
 * reader would. Fed chunk by chunk; line length counts only for lines from `lengthFrom` on (a
 * host that hands over the message with header fields of its own checks the client's apart).
 */
export class StrictLines {
  violation: DataViolation | undefined;
  /** Bytes of the chunks before the one being read. */
  private offset = 0;
  private lineStart = 0;
  private lineLength = 0;
  private lastWasCR = false;

  constructor(private readonly lengthFrom = 0) {}

  push(chunk: Buffer): void {
    if (!this.violation) this.inspect(chunk);
    this.offset += chunk.length;
  }

  /** The violation, once the last chunk was pushed (a message may not end in a bare CR). */
  end(): DataViolation | undefined {
    if (!this.violation && this.lastWasCR) this.refuse('a bare CR');
    return this.violation;
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
      this.lineStart = this.offset + 1;
      i = 1;
    }
    const nul = chunk.indexOf(0x00, i);
    let lf = chunk.indexOf(0x0a, i);
    while (i < chunk.length) {
      const cr = chunk.indexOf(0x0d, i);
      const end = cr < 0 ? chunk.length : cr;
      if (lf >= 0 && lf < i) lf = chunk.indexOf(0x0a, i);
      const tooLong = this.lineStart >= this.lengthFrom ? i + 998 - this.lineLength : end;
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
      this.lineStart = this.offset + cr + 2;
      i = cr + 2;
    }
  }
}

/** The strict check over a whole message held in memory. */
export function strictViolation(bytes: Buffer, options: { lengthFrom?: number } = {}): DataViolation | undefined {
  const lines = new StrictLines(options.lengthFrom);
  lines.push(bytes);
  return lines.end();
}
