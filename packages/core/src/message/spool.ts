import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferSource, type ByteSource } from './archive/byte-source';

/**
 * Collects a body that may have to be read again (an archive, an attached message): in memory up
 * to `memoryLimit`, then in a temp file under os.tmpdir(), and not at all beyond `hardLimit`
 * (`overflow` is set and the bytes are dropped). dispose() removes the temp file.
 */
export class Spool {
  /** True when the body went past the hard limit and was dropped. */
  overflow = false;
  length = 0;
  private chunks: Buffer[] = [];
  private dir: string | undefined;
  private fd: number | undefined;

  constructor(private readonly memoryLimit: number, private readonly hardLimit: number) {}

  /** Append decoded bytes. */
  write(data: Buffer): void {
    if (this.overflow || data.length === 0) return;
    if (this.length + data.length > this.hardLimit) {
      this.overflow = true;
      this.dispose();
      return;
    }
    this.length += data.length;
    if (this.fd !== undefined) {
      writeSync(this.fd, data);
      return;
    }
    this.chunks.push(data);
    if (this.length > this.memoryLimit) this.toFile();
  }

  /** Where the body is stored on disk, when it was spooled (for tests and logs). */
  get file(): string | undefined {
    return this.dir && join(this.dir, 'body');
  }

  /** Read access to what was written; undefined after overflow or dispose. */
  source(): ByteSource | undefined {
    if (this.overflow) return undefined;
    if (this.fd === undefined) return this.chunks ? bufferSource(Buffer.concat(this.chunks)) : undefined;
    const fd = this.fd;
    const file = this.file!;
    const length = this.length;
    return {
      length,
      read: (offset, want) => {
        const start = Math.max(0, offset);
        const size = Math.max(0, Math.min(want, length - start));
        const out = Buffer.alloc(size);
        let got = 0;
        while (got < size) {
          const n = readSync(fd, out, got, size - got, start + got);
          if (n === 0) break;
          got += n;
        }
        return out.subarray(0, got);
      },
      stream: () => createReadStream(file, { start: 0, end: Math.max(0, length - 1), emitClose: true }),
    };
  }

  /** Drop the bytes and remove the temp file, if any. Safe to call twice. */
  dispose(): void {
    this.chunks = [];
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.dir !== undefined) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
    }
  }

  private toFile(): void {
    this.dir = mkdtempSync(join(tmpdir(), 'mailward-spool-'));
    this.fd = openSync(join(this.dir, 'body'), 'w+', 0o600);
    for (const chunk of this.chunks) writeSync(this.fd, chunk);
    this.chunks = [];
  }
}
