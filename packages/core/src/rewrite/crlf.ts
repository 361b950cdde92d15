import { Transform, type TransformCallback } from 'node:stream';

/**
 * Makes every line end in CRLF (a bare LF or a bare CR becomes CRLF), so a rewritten message
 * can be relayed as is: a relay that passes bare line ends on is how SMTP smuggling works.
 * Chunks that are already clean pass through untouched (found with native indexOf).
 */
export class CrlfNormalizer extends Transform {
  private endsInCR = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (chunk.length === 0) return done();
    if (this.clean(chunk)) {
      this.endsInCR = chunk[chunk.length - 1] === 0x0d;
      return done(null, chunk);
    }
    const out: number[] = [];
    let cr = this.endsInCR;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (cr && b !== 0x0a) out.push(0x0a); // the CR before was bare
      if (b === 0x0a && !cr) out.push(0x0d);
      out.push(b);
      cr = b === 0x0d;
    }
    // A CR at the end waits for the next chunk to say whether an LF follows.
    this.endsInCR = cr;
    done(null, Buffer.from(out));
  }

  override _flush(done: TransformCallback): void {
    if (this.endsInCR) this.push(Buffer.from('\n'));
    done();
  }

  private clean(chunk: Buffer): boolean {
    if (this.endsInCR && chunk[0] !== 0x0a) return false;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
      if (i === 0 ? !this.endsInCR : chunk[i - 1] !== 0x0d) return false;
    }
    for (let i = chunk.indexOf(0x0d); i !== -1; i = chunk.indexOf(0x0d, i + 1)) {
      if (i + 1 < chunk.length && chunk[i + 1] !== 0x0a) return false;
    }
    return true;
  }
}
