/**
 * Streaming base64 (RFC 2045 6.8): lines of 76 characters, CRLF between them and none after the
 * last, since the line break before a boundary belongs to the boundary.
 */
export class Base64Lines {
  private rest = Buffer.alloc(0);
  private col = 0;

  /** Encode a chunk; returns the text ready so far (whole 3-octet groups). */
  push(chunk: Buffer): Buffer {
    const all = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const whole = all.length - (all.length % 3);
    this.rest = Buffer.from(all.subarray(whole));
    return this.lines(all.subarray(0, whole).toString('base64'));
  }

  /** The last group, padded. */
  end(): Buffer {
    const text = this.rest.toString('base64');
    this.rest = Buffer.alloc(0);
    return this.lines(text);
  }

  private lines(text: string): Buffer {
    let out = '';
    let at = 0;
    while (at < text.length) {
      if (this.col === 76) {
        out += '\r\n';
        this.col = 0;
      }
      const take = Math.min(76 - this.col, text.length - at);
      out += text.slice(at, at + take);
      at += take;
      this.col += take;
    }
    return Buffer.from(out, 'latin1');
  }
}
