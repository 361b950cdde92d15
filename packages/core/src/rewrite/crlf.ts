import type { TransformCallback } from 'node:stream';
import { Splitter, type MimeNode } from '@zone-eu/mailsplit';
import { keepFirstLine } from './first-line';
import { withoutRepeatedHeader } from './repeated-header';

/**
 * Line ends made CRLF (a bare LF or a bare CR becomes CRLF), so a rewritten message can be
 * relayed as is: a relay that passes bare line ends on is how SMTP smuggling works. Chunks that
 * are already clean pass through untouched (found with native indexOf).
 */
export class CrlfLines {
  private endsInCR = false;
  /** True once a line end was changed; `bareCR` once that was a CR without its LF, `bareLF` an LF without its CR. */
  changed = false;
  bareCR = false;
  bareLF = false;

  /** The chunk with CRLF line ends; a CR at its end waits for the next chunk. */
  push(chunk: Buffer): Buffer {
    if (chunk.length === 0) return chunk;
    if (this.clean(chunk)) {
      this.endsInCR = chunk[chunk.length - 1] === 0x0d;
      return chunk;
    }
    this.changed = true;
    const out: number[] = [];
    let cr = this.endsInCR;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (cr && b !== 0x0a) {
        out.push(0x0a); // the CR before was bare
        this.bareCR = true;
      }
      if (b === 0x0a && !cr) {
        out.push(0x0d);
        this.bareLF = true;
      }
      out.push(b);
      cr = b === 0x0d;
    }
    this.endsInCR = cr;
    return Buffer.from(out);
  }

  /** What the end of the input still owes: the LF of a bare CR at the very end. */
  end(): Buffer | undefined {
    const owed = this.endsInCR ? Buffer.from('\n') : undefined;
    if (owed) this.changed = this.bareCR = true;
    this.endsInCR = false;
    return owed;
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

/**
 * How far a splitter reads in a pass over a message analysis let through (the rewriter, the 7-bit
 * downgrade, clamd's part scan): any such message must be writable and scanned.
 * mailsplit's own limits (1000 entities, 1 MiB header blocks) made a message over them, which
 * analysis reports as `limits` and a policy may still accept, fail at every delivery attempt
 * ("Max allowed child nodes exceeded"). Memory is bounded by the message's size as elsewhere.
 */
export const SPLITTER_LIMITS = { maxChildNodes: Number.MAX_SAFE_INTEGER, maxHeadSize: 64 * 1024 * 1024 };

/**
 * A mailsplit Splitter that reads the message with CRLF line ends: the same as a normalising
 * stream in front of it, without the extra hop (which costs more than the work on small mail).
 */
export class CrlfSplitter extends Splitter {
  /** What was changed on the way in. */
  readonly lines = new CrlfLines();
  /** mailsplit's current node (not in its typings); null while its constructor runs. */
  declare private node: MimeNode | null;

  /**
   * Called by mailsplit for each delimiter that starts a part (not in its typings). A part whose
   * header block the delimiter cuts short, with no blank line, was dropped, header lines and
   * all (mailsplit pushes such a node only before a closing delimiter), while Python's email
   * reads its first line that is no field as the body: a program under a name no rule saw.
   * It is now pushed as the part it is, so analysis sees it and the rewriter writes it out.
   */
  newNode(parent?: MimeNode | false): void {
    const node = this.node;
    if (node && node._headerlen > 0 && !node.headers) {
      node.parseHeaders();
      this.push(node);
    }
    (Splitter.prototype as unknown as { newNode(parent?: MimeNode | false): void }).newNode.call(this, parent);
  }

  /** The node pushed last, until the next chunk: its header lines may come again (see repeated-header). */
  private lastNode: MimeNode | undefined;

  /**
   * Each node as mailsplit made it, with the first header line it keeps apart put back (see
   * first-line); the multipart text after a node without the node's header lines repeated.
   */
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null && (chunk as MimeNode).type === 'node') {
      keepFirstLine(chunk as MimeNode);
      this.lastNode = chunk as MimeNode;
    } else if (chunk !== null) {
      const data = chunk as { type: string; value?: Buffer };
      if (this.lastNode && data.type === 'data' && data.value) data.value = withoutRepeatedHeader(data.value, this.lastNode);
      this.lastNode = undefined;
    }
    return super.push(chunk, encoding);
  }

  /** Given each chunk as it came, before its line ends are made CRLF (the rewriter's copy of the input). */
  input: ((chunk: Buffer) => void) | undefined;

  override _transform(chunk: Buffer, encoding: BufferEncoding, done: TransformCallback): void {
    this.input?.(chunk);
    super._transform(this.lines.push(chunk), encoding, done);
  }

  override _flush(done: TransformCallback): void {
    const owed = this.lines.end();
    if (!owed) return super._flush(done);
    super._transform(owed, 'latin1', (err) => (err ? done(err) : super._flush(done)));
  }
}
