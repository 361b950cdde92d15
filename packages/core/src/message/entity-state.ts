import { BodyDecoder } from './body-decoder';
import { isArchiveName, isArchiveType } from './archive/list-archive';
import type { MimePart } from './model';

const HEAD_BYTES = 512;

/**
 * What one pass keeps per leaf entity while its body streams by: the decoded size, the first
 * bytes (for sniffing), and the whole body only while it may be an archive or an attached
 * message, up to a cap.
 */
export class EntityState {
  readonly decoder: BodyDecoder;
  size = 0;
  head = Buffer.alloc(0);
  private chunks: Buffer[] | undefined = [];
  private held = 0;
  overflow = false;

  constructor(readonly part: MimePart, readonly attachedMessage: boolean, private readonly cap: number) {
    this.decoder = new BodyDecoder(part.encoding ?? '7bit');
  }

  /** Might this entity be a container we list or analyze? */
  get container(): boolean {
    return this.attachedMessage || isArchiveType(this.part.type) || this.part.filenames.some(isArchiveName);
  }

  /** Take the next raw body chunk. */
  write(raw: Buffer): void {
    this.take(this.decoder.write(raw));
  }

  /** The body ended. */
  end(): void {
    this.take(this.decoder.end());
  }

  /** The decoded body, when it was kept (a container within the cap). */
  body(): Buffer | undefined {
    return this.chunks && !this.overflow ? Buffer.concat(this.chunks) : undefined;
  }

  private take(data: Buffer): void {
    if (data.length === 0) return;
    this.size += data.length;
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, data.subarray(0, HEAD_BYTES - this.head.length)]);
    if (!this.chunks) return;
    this.chunks.push(data);
    this.held += data.length;
    if (this.held > this.cap) {
      this.chunks = undefined;
      this.overflow = this.container || this.sniffedContainer();
      return;
    }
    // Not named or typed as a container: keep it only if its first bytes say it is one.
    if (!this.container && this.head.length >= HEAD_BYTES && !this.sniffedContainer()) this.chunks = undefined;
  }

  private sniffedContainer(): boolean {
    const h = this.head;
    return (h[0] === 0x50 && h[1] === 0x4b) || (h[0] === 0x1f && h[1] === 0x8b) || h.subarray(257, 262).toString('latin1') === 'ustar';
  }
}
