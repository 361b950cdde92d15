/**
 * SMTP allows lines of at most 998 octets. A leaf body with longer lines is made relayable here,
 * streaming: base64 lines are simply broken (decoders skip line breaks), quoted-printable lines
 * get soft breaks, and 7bit/8bit/binary bodies are re-encoded as quoted-printable.
 */

const MAX = 998;

/** True when `chunk`, read after a line of `lineLength` octets so far, makes a line too long. */
export function scanLines(chunk: Buffer, lineLength: number): { long: boolean; lineLength: number } {
  // This is on the path of every body byte. Rather than visit every line, look back from the
  // furthest place the current line's LF may be: one native lastIndexOf covers a dozen lines.
  let start = -lineLength; // where the current line began, relative to this chunk
  while (start + MAX < chunk.length) {
    const limit = start + MAX + 1; // an LF here ends a line of MAX octets only after a CR
    const lf = chunk.lastIndexOf(0x0a, Math.min(limit, chunk.length - 1));
    if (lf < Math.max(start, 0)) return { long: true, lineLength: chunk.length - start };
    if (lf === limit && chunk[lf - 1] !== 0x0d) {
      const before = lf > 0 ? chunk.lastIndexOf(0x0a, lf - 1) : -1;
      if (before < Math.max(start, 0)) return { long: true, lineLength: MAX + 1 };
    }
    start = lf + 1;
  }
  const last = chunk.lastIndexOf(0x0a);
  return { long: false, lineLength: chunk.length - (last >= 0 && last >= start ? last + 1 : start) };
}

/**
 * How a line over the limit is broken: base64 with a plain CRLF (decoders skip line breaks),
 * quoted-printable with a soft break, and a 7bit/8bit body whose headers have already gone out
 * folded: before white space where the line has some, else with CRLF and a space, as Postfix's
 * smtp_line_length_limit does (a continuation that starts with white space can never be read as
 * a boundary or a header), and never inside a UTF-8 character.
 */
export type LineBreak = 'base64' | 'quoted-printable' | 'fold';

const isWhite = (b: number | undefined): boolean => b === 0x20 || b === 0x09;

/**
 * Where the line in `out` from `lineStart`, with `next` to come, can be folded before white
 * space: the last after an octet that is not (a fold after nothing would leave a line of white
 * space); out.length for `next` itself; -1 if nowhere.
 */
function whiteSpaceBreak(out: number[], lineStart: number, next: number): number {
  let first = lineStart;
  while (first < out.length && isWhite(out[first])) first++;
  if (first === out.length) return -1;
  if (isWhite(next)) return out.length;
  for (let i = out.length - 1; i > first; i--) if (isWhite(out[i])) return i;
  return -1;
}

/** Continuation octets a UTF-8 lead octet announces (0 for any other octet). */
const continuations = (b: number): number => (b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0);

/** Continuation octets still owed after `chunk` (its last UTF-8 character may go on), `owed` before it. */
function owedAfter(chunk: Buffer, owed: number): number {
  for (let i = chunk.length - 1; i >= 0 && i >= chunk.length - 4; i--) {
    if ((chunk[i]! & 0xc0) !== 0x80) return Math.max(0, continuations(chunk[i]!) - (chunk.length - 1 - i));
  }
  return Math.max(0, owed - chunk.length);
}

/**
 * Whether the line in which `chunk[i]`, the first octet of a character `width` octets long, is at
 * `col` goes past the limit; where the chunk ends first, whether the rest of that character is
 * still to come (so a chunk cut inside it folds as the whole chunk would).
 */
function passes(chunk: Buffer, i: number, col: number, width: number): boolean {
  for (let j = i; j < chunk.length; j++) {
    if (chunk[j] === 0x0a) return false;
    if (chunk[j] !== 0x0d && ++col > MAX) return true;
  }
  let end = i + 1;
  while (end < chunk.length && (chunk[end]! & 0xc0) === 0x80) end++;
  return end === chunk.length && end - i < width;
}

/** Breaks over-long lines of a body; lines within the limit keep their bytes. */
export class LineBreaker {
  private escape = 0;
  // Continuation octets the last UTF-8 lead octet still announces; not known at the start (the
  // body may have begun before this breaker), where up to 3 are taken for the rest of a character.
  private owed = 3;
  /** True once a line has been broken. */
  broke = false;

  /** `col`: the length of the line the body is in when breaking starts. */
  constructor(readonly style: LineBreak, private col = 0) {}

  /** The chunk with breaks inserted where a line would pass the limit. */
  push(chunk: Buffer): Buffer {
    const scan = scanLines(chunk, this.col);
    const owed = owedAfter(chunk, this.owed);
    // A character this chunk ends in, when its rest would take the line past the limit, can only
    // be folded before: that is done here, as it is when the chunk holds the whole character.
    if (!scan.long && !(this.style === 'fold' && scan.lineLength + owed > MAX)) {
      this.col = scan.lineLength;
      this.owed = owed;
      return chunk;
    }
    if (this.style === 'fold') return this.fold(chunk);
    this.broke = true;
    const out: number[] = [];
    for (const b of chunk) {
      if (b === 0x0a || b === 0x0d) {
        if (b === 0x0a) this.col = 0;
        out.push(b);
        continue;
      }
      // Never inside an =XX escape.
      if (this.col >= MAX - 8 && this.escape === 0) {
        if (this.style === 'quoted-printable') out.push(0x3d);
        out.push(0x0d, 0x0a);
        this.col = 0;
        // A line the break starts must not be a boundary delimiter (`--b`), or the rest of the
        // body would open a part nobody analyzed: base64 skips a space (RFC 2045 6.8), and
        // quoted-printable writes the dash as =2D.
        if (this.style === 'base64' && b === 0x2d) {
          out.push(0x20);
          this.col = 1;
        } else if (b === 0x2d) {
          out.push(0x3d, 0x32, 0x44);
          this.col = 3;
          continue;
        }
      }
      if (this.escape > 0) this.escape--;
      else if (this.style === 'quoted-printable' && b === 0x3d) this.escape = 2;
      out.push(b);
      this.col++;
    }
    return Buffer.from(out);
  }

  /**
   * The chunk with a fold wherever a line passes the limit, and nowhere else: before the octet or
   * UTF-8 character that would take it past (known from what is before it, so the same however
   * the body is cut into chunks), or before white space earlier in a line this chunk holds whole.
   */
  private fold(chunk: Buffer): Buffer {
    const out: number[] = [];
    let lineStart = 0; // where the line being written starts in out (it may have begun before)
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      const inCharacter = this.owed > 0 && (b & 0xc0) === 0x80;
      this.owed = inCharacter ? this.owed - 1 : continuations(b);
      if (b === 0x0a || b === 0x0d) {
        if (b === 0x0a) {
          this.col = 0;
          lineStart = out.length + 1;
        }
        out.push(b);
        continue;
      }
      // Inside a character only when it began before this breaker did, and the line is at the limit.
      if (inCharacter ? this.col >= MAX : this.col + 1 + this.owed > MAX && passes(chunk, i, this.col, 1 + this.owed)) {
        this.broke = true;
        // Before white space where the line has some (it then starts the next line). Only in a
        // line this chunk holds whole so far, and not one that starts with `--`: what is before
        // the white space, alone on its line, could be a boundary delimiter.
        const wholeLine = this.col === out.length - lineStart && !(out[lineStart] === 0x2d && out[lineStart + 1] === 0x2d);
        const at = !inCharacter && wholeLine ? whiteSpaceBreak(out, lineStart, b) : -1;
        if (at >= 0) {
          out.splice(at, 0, 0x0d, 0x0a);
          lineStart = at + 2;
          this.col = out.length - lineStart;
        }
        // Else CRLF and a space: a line that starts with white space is never a boundary delimiter.
        if (at < 0 || this.col + 1 + (inCharacter ? 0 : this.owed) > MAX) {
          out.push(0x0d, 0x0a, 0x20);
          lineStart = out.length - 1;
          this.col = 1;
        }
      }
      out.push(b);
      this.col++;
    }
    return Buffer.from(out);
  }
}

/** Streaming quoted-printable encoder (RFC 2045 6.7): CRLF lines, at most 76 characters. */
export class QuotedPrintableEncoder {
  private col = 0;
  private space = -1; // a space or tab not yet written: it must be escaped if the line ends
  private cr = false;
  private out: string[] = [];

  private token(t: string): void {
    if (this.col + t.length > 75) {
      this.out.push('=\r\n');
      this.col = 0;
    }
    // A line never starts with a dash, so none can be a boundary delimiter (`--b`).
    if (this.col === 0 && t === '-') t = '=2D';
    this.out.push(t);
    this.col += t.length;
  }

  private hex(b: number): string {
    return `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }

  /** A CR that no LF followed: the white space before it was not at a line's end. */
  private bareCR(): void {
    if (this.space >= 0) this.token(String.fromCharCode(this.space));
    this.space = -1;
    this.token('=0D');
    this.cr = false;
  }

  /** Encode a chunk; returns the text ready so far. */
  push(chunk: Buffer): Buffer {
    for (const b of chunk) {
      if (b === 0x0a) {
        if (this.space >= 0) this.token(this.hex(this.space));
        this.space = -1;
        this.cr = false;
        this.out.push('\r\n');
        this.col = 0;
        continue;
      }
      // The white space before a CR stays pending: if an LF follows, it ends the line.
      if (this.cr) this.bareCR();
      if (b === 0x0d) {
        this.cr = true;
        continue;
      }
      if (this.space >= 0) this.token(String.fromCharCode(this.space));
      this.space = -1;
      if (b === 0x20 || b === 0x09) this.space = b;
      else this.token(b >= 33 && b <= 126 && b !== 0x3d ? String.fromCharCode(b) : this.hex(b));
    }
    const text = this.out.join('');
    this.out = [];
    return Buffer.from(text, 'latin1');
  }

  /** What is still pending at the end of the body. */
  end(): Buffer {
    if (this.cr) this.bareCR();
    if (this.space >= 0) this.token(this.hex(this.space));
    this.space = -1;
    const text = this.out.join('');
    this.out = [];
    return Buffer.from(text, 'latin1');
  }
}
