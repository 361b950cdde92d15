import { Transform, type TransformCallback } from 'node:stream';
import { StrictLines, type DataViolation } from '@mailward/core';

export type { DataViolation };

/**
 * Reads DATA with core's strict check (a bare CR, a bare LF, a NUL or a line over 998 octets
 * refuses the message) and refuses a message over `maxSize`. The bytes still flow through, so
 * the client is read to the end and answered once.
 */
export class StrictDataReader extends Transform {
  violation: DataViolation | undefined;
  bytes = 0;
  private readonly lines = new StrictLines();

  constructor(private readonly maxSize: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (!this.violation) {
      this.lines.push(chunk);
      this.violation = this.lines.violation;
    }
    if (!this.violation && this.maxSize > 0 && this.bytes > this.maxSize) {
      this.violation = { code: 552, status: '5.3.4', text: `Message exceeds the maximum size of ${this.maxSize} bytes` };
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    this.violation ??= this.lines.end();
    done();
  }
}
