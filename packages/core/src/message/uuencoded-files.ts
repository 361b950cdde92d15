import type { ByteSource } from './archive/byte-source';
import { isArchiveName, looksLikeArchive } from './archive/list-archive';
import { looksLikeCms } from './smime/open-smime';
import { Spool } from './spool';
import { BEGIN_LINE, beginNames } from './uuencode-names';

const HEAD_BYTES = 512;
/** Past this a line is no uuencode line; a yEnc or base64 one is decoded piece by piece. */
const MAX_LINE = 64 * 1024;

type Kind = 'uu' | 'base64' | 'yenc';

/** One file decoded from a uuencode, `begin-base64` or yEnc block of a body. */
export class CarriedFile {
  size = 0;
  /** True when the file went past the hard limit while it may be a container: not opened. */
  overflow = false;
  private head = Buffer.alloc(0);
  private spool: Spool | undefined;

  constructor(readonly names: string[], memoryLimit: number, hardLimit: number) {
    this.spool = new Spool(memoryLimit, hardLimit);
  }

  /** Its first bytes (kept when the rest is not), to tell what it is whatever its name says. */
  get first(): Buffer {
    return this.head;
  }

  /**
   * Might it be something we open: an archive (by name or by its first bytes), a saved mail
   * (`.eml`, opened as an attached one is) or S/MIME (`.p7m`, or CMS by its bytes)?
   */
  get container(): boolean {
    return this.names.some((n) => isArchiveName(n) || /\.(eml|p7m)$/i.test(n)) || looksLikeArchive(this.head) || looksLikeCms(this.head);
  }

  /** The decoded bytes, when they were kept (a container within the hard cap). */
  body(): ByteSource | undefined {
    return this.spool?.source();
  }

  /** Drop the kept bytes and their temp file. */
  dispose(): void {
    this.spool?.dispose();
    this.spool = undefined;
  }

  take(data: Buffer): void {
    if (data.length === 0) return;
    this.size += data.length;
    if (this.head.length < HEAD_BYTES) this.head = Buffer.concat([this.head, data.subarray(0, HEAD_BYTES - this.head.length)]);
    if (!this.spool) return;
    this.spool.write(data);
    if (this.spool.overflow) {
      this.overflow = this.container;
      this.dispose();
    } else if (this.head.length >= HEAD_BYTES && !this.container) {
      // Only containers are opened: anything else is known by its name and first bytes alone.
      this.dispose();
    }
  }

  /** The block ended: a short file that is no container is not kept either. */
  end(): void {
    if (!this.container) this.dispose();
  }
}

/** One uuencoded line (length character, then groups of four), lenient as readers are. */
function uuLine(line: string): Buffer {
  const count = (line.charCodeAt(0) - 32) & 63;
  const out = Buffer.alloc(Math.ceil(count / 3) * 3);
  const digit = (i: number): number => (i < line.length ? (line.charCodeAt(i) - 32) & 63 : 0);
  for (let i = 1, o = 0; o < out.length; i += 4, o += 3) {
    const n = (digit(i) << 18) | (digit(i + 1) << 12) | (digit(i + 2) << 6) | digit(i + 3);
    out[o] = n >> 16;
    out[o + 1] = (n >> 8) & 255;
    out[o + 2] = n & 255;
  }
  return out.subarray(0, count);
}

/**
 * Decodes the uuencoded (and `begin-base64`, and yEnc) blocks of a body as it streams, so that
 * an archive, a mail or S/MIME a reader turns into an attachment (Outlook `begin 644 docs.zip`,
 * Thunderbird `=ybegin ... name=docs.zip`) can be opened as an attached one is. Each file is held
 * as an archive attachment is (memory, then a temp file, up to the hard cap), and only while it
 * may be a container; the first bytes of every file are kept, to be sniffed.
 */
export class UuencodedFiles {
  readonly files: CarriedFile[] = [];
  private carry = '';
  private block: { kind: Kind; file: CarriedFile } | undefined;
  /** The line being read was longer than MAX_LINE: what follows is more of it. */
  private midLine = false;
  private escaped = false;
  private base64Carry = '';

  constructor(private readonly memoryLimit: number, private readonly hardLimit: number) {}

  /** Take the next decoded chunk of the body. */
  write(data: Buffer): void {
    const text = this.carry + data.toString('latin1');
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl).replace(/\r$/, ''), true);
      start = nl + 1;
    }
    this.carry = text.slice(start);
    if (this.carry.length > MAX_LINE) {
      this.line(this.carry, false);
      this.carry = '';
    }
  }

  /** The body ended (a block without its end line is kept as far as it went, as readers do). */
  end(): void {
    if (this.carry !== '') this.line(this.carry.replace(/\r$/, ''), true);
    this.carry = '';
    this.close();
  }

  /** Drop every kept file. */
  dispose(): void {
    for (const file of this.files) file.dispose();
  }

  private line(line: string, whole: boolean): void {
    const continued = this.midLine;
    this.midLine = !whole;
    if (!this.block) {
      const begin = continued ? null : BEGIN_LINE.exec(line);
      if (!begin || !whole) return;
      const kind: Kind = line.startsWith('=') ? 'yenc' : /^begin-base64/i.test(line) ? 'base64' : 'uu';
      this.block = { kind, file: new CarriedFile(beginNames(begin[1]!), this.memoryLimit, this.hardLimit) };
      this.files.push(this.block.file);
      return;
    }
    const { kind, file } = this.block;
    if (kind === 'uu') {
      if (!whole || continued) return;
      if (/^end[ \t]*$/i.test(line)) this.close();
      else if (line !== '') file.take(uuLine(line));
    } else if (kind === 'base64') {
      if (!continued && line.trimEnd() === '====') return this.close();
      const data = this.base64Carry + line.replace(/[^A-Za-z0-9+/]/g, '');
      const usable = data.length - (data.length % 4);
      this.base64Carry = data.slice(usable);
      file.take(Buffer.from(data.slice(0, usable), 'base64'));
    } else {
      if (!continued && /^=yend\b/i.test(line)) return this.close();
      if (!continued && /^=y(?:part|begin)\b/i.test(line)) return;
      file.take(this.yenc(line, whole));
    }
  }

  /** yEnc: each byte is written plus 42, `=` escapes the next one (plus 64 more). */
  private yenc(line: string, whole: boolean): Buffer {
    const out = Buffer.alloc(line.length);
    let o = 0;
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (this.escaped) {
        out[o++] = (c - 106) & 255;
        this.escaped = false;
      } else if (c === 0x3d) this.escaped = true;
      else out[o++] = (c - 42) & 255;
    }
    if (whole) this.escaped = false;
    return out.subarray(0, o);
  }

  private close(): void {
    if (this.block?.kind === 'base64' && this.base64Carry !== '') this.block.file.take(Buffer.from(this.base64Carry, 'base64'));
    this.block?.file.end();
    this.block = undefined;
    this.base64Carry = '';
    this.escaped = false;
  }
}
