import { BodyDecoder } from './body-decoder';
import { isArchiveName, isArchiveType, looksLikeArchive } from './archive/list-archive';
import type { ByteSource } from './archive/byte-source';
import type { MimePart } from './model';
import { Spool } from './spool';
import { isRiskyName } from './name-checks';
import { isSmimePart, looksLikeCms } from './smime/open-smime';
import { UuencodeNames } from './uuencode-names';
import { UuencodedFiles } from './uuencoded-files';

const HEAD_BYTES = 512;

/**
 * Bodies looked through for uuencoded (and yEnc) files, as readers find them: text, the generic
 * binary types, and a part that says it is uuencoded by its type, encoding or name (`a.uue`,
 * which WinRAR and WinZip open). Images, documents and the like are not read for them.
 */
function mayCarryUuencode(part: MimePart): boolean {
  if (part.type.startsWith('text/') || ['application/octet-stream', 'application/x-unknown', 'application/unknown'].includes(part.type)) return true;
  return /uu/i.test(part.encoding ?? '') || /uu/i.test(part.type) || part.filenames.some((n) => /\.(uue?|xxe)$/i.test(n));
}

/**
 * What one pass keeps per leaf entity while its body streams by: the decoded size, the first
 * bytes (for sniffing), and the whole body only while it may be an archive or an attached
 * message (in memory, then a temp file, up to a hard cap).
 */
export class EntityState {
  readonly decoder: BodyDecoder;
  size = 0;
  head = Buffer.alloc(0);
  private spool: Spool | undefined;
  overflow = false;
  /**
   * The `begin` lines of the bodies mayCarryUuencode takes: Outlook decodes uuencode in plain-text
   * bodies, and Evolution shows an octet-stream part whose bytes read as text with its text/plain
   * handler, which decodes the uuencode in it.
   */
  private readonly uuencode: UuencodeNames | undefined;
  /** Their decoded files (the containers among them are opened as the part's). */
  readonly carried: UuencodedFiles | undefined;

  constructor(readonly part: MimePart, readonly attachedMessage: boolean, memoryLimit: number, hardLimit: number) {
    this.decoder = new BodyDecoder(part.encoding ?? '7bit');
    this.spool = new Spool(memoryLimit, hardLimit);
    if (mayCarryUuencode(part)) {
      this.uuencode = new UuencodeNames();
      this.carried = new UuencodedFiles(memoryLimit, hardLimit);
    }
  }

  /** Might this entity be a container we list or analyze? */
  get container(): boolean {
    return this.attachedMessage || isArchiveType(this.part.type) || this.part.filenames.some(isArchiveName) || isSmimePart(this.part);
  }

  /** Take the next raw body chunk. */
  write(raw: Buffer): void {
    this.take(this.decoder.write(raw));
  }

  /** The body ended. */
  end(): void {
    this.take(this.decoder.end());
    if (!this.uuencode) return;
    this.uuencode.end();
    this.carried?.end();
    for (const name of this.uuencode.names) if (!this.part.filenames.includes(name)) this.part.filenames.push(name);
    // Notices name the file that gives the part away (as for its own names), else the first.
    const carried = this.uuencode.names.find(isRiskyName) ?? (this.part.filename === undefined ? this.uuencode.names[0] : undefined);
    if (carried !== undefined && !(this.part.filename !== undefined && isRiskyName(this.part.filename))) this.part.filename = carried;
  }

  /** The decoded body, when it was kept (a container within the hard cap). */
  body(): ByteSource | undefined {
    return this.spool?.source();
  }

  /** Drop the kept body, the files decoded from it, and their temp files. */
  dispose(): void {
    this.dropBody();
    this.carried?.dispose();
  }

  private dropBody(): void {
    this.spool?.dispose();
    this.spool = undefined;
  }

  private take(data: Buffer): void {
    if (data.length === 0) return;
    this.size += data.length;
    this.uuencode?.write(data);
    this.carried?.write(data);
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, data.subarray(0, HEAD_BYTES - this.head.length)]);
    if (!this.spool) return;
    this.spool.write(data);
    if (this.spool.overflow) {
      this.overflow = this.container || this.sniffedContainer();
      this.dropBody();
      return;
    }
    // Not named or typed as a container: keep it only if its first bytes say it is one.
    if (!this.container && this.head.length >= HEAD_BYTES && !this.sniffedContainer()) this.dropBody();
  }

  private sniffedContainer(): boolean {
    // Whatever listArchive would list or report (7z, rar, bzip2 and xz included), and CMS
    // (S/MIME) that openSmime opens, by its first bytes.
    return looksLikeArchive(this.head) || looksLikeCms(this.head);
  }
}
