import type { ByteSource } from '../archive/byte-source';

/** The bytes are not BER (cut short, a length past its end, an unknown form): damage. */
export class BerDamage extends Error {}

/** BER nesting deeper than the analysis depth limit: not read, said as a limit. */
export class BerTooDeep extends Error {}

/** One BER element's identifier and where its content lies (X.690 8.1). */
export interface BerElement {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  constructed: boolean;
  tag: number;
  start: number;
  /** Offset of the first content byte. */
  body: number;
  /** Offset just past the content; undefined for the indefinite form, which ends at 00 00. */
  bodyEnd: number | undefined;
  /** How far the element may reach: its parent's end, or the source's. */
  bound: number;
}

const BLOCK = 64 * 1024;

/**
 * Reads BER (and so DER) from a decoded body in memory or in a spool file, a block at a time:
 * definite and indefinite lengths, high tag numbers; never past `bound`, never deeper than
 * `maxDepth` constructed levels. Damage is thrown as BerDamage, nesting as BerTooDeep.
 */
export class BerReader {
  /** How the bytes are cut short, when an element's length ran past their end (read up to it). */
  cut: string | undefined;
  private blockAt = -1;
  private block: Buffer = Buffer.alloc(0);

  constructor(private readonly src: ByteSource, private readonly maxDepth: number) {}

  get length(): number {
    return this.src.length;
  }

  /** The byte at `pos`, which must lie before `bound`. */
  byte(pos: number, bound = this.src.length): number {
    if (pos >= bound || pos >= this.src.length) throw new BerDamage(`cut short at byte ${pos}`);
    const at = pos - (pos % BLOCK);
    if (at !== this.blockAt) {
      this.block = this.src.read(at, BLOCK);
      this.blockAt = at;
    }
    return this.block[pos - at]!;
  }

  /** Up to `length` bytes from `pos` (for content: OIDs, OCTET STRING segments). */
  bytes(pos: number, length: number): Buffer {
    return this.src.read(pos, length);
  }

  /** The element whose identifier starts at `pos`. */
  element(pos: number, bound: number): BerElement {
    const start = pos;
    const first = this.byte(pos++, bound);
    let tag = first & 0x1f;
    if (tag === 0x1f) {
      tag = 0;
      for (let n = 0; ; n++) {
        const b = this.byte(pos++, bound);
        if ((n === 0 && b === 0x80) || n === 4) throw new BerDamage(`bad tag number at byte ${start}`);
        tag = tag * 128 + (b & 0x7f);
        if (!(b & 0x80)) break;
      }
    }
    const constructed = (first & 0x20) !== 0;
    const lengthByte = this.byte(pos++, bound);
    let bodyEnd: number | undefined;
    if (lengthByte === 0x80) {
      if (!constructed) throw new BerDamage(`indefinite length on a primitive element at byte ${start}`);
    } else if (lengthByte === 0xff) {
      throw new BerDamage(`reserved length form at byte ${start}`);
    } else {
      let length = lengthByte;
      if (lengthByte & 0x80) {
        const count = lengthByte & 0x7f;
        length = 0;
        for (let i = 0; i < count; i++) {
          length = length * 256 + this.byte(pos++, bound);
          if (length > 2 ** 40) throw new BerDamage(`length at byte ${start} is too long`);
        }
      }
      bodyEnd = pos + length;
      if (bodyEnd > bound) {
        // Past its parent's end is damage; past the end of the bytes is a cut, read as far as it goes.
        if (bound < this.src.length) throw new BerDamage(`element at byte ${start} runs past the end of the one holding it`);
        this.cut ??= `element at byte ${start} runs past the end (${bodyEnd - bound} bytes missing)`;
        bodyEnd = bound;
      }
    }
    return { cls: first >> 6, constructed, tag, start, body: pos, bodyEnd, bound };
  }

  /** Offset just past an element (for the indefinite form, past its end-of-contents octets). */
  end(el: BerElement, depth: number): number {
    if (el.bodyEnd !== undefined) return el.bodyEnd;
    // Known once its children were all read (by a caller that went inside it): each element is
    // walked once, not once for each indefinite element around it.
    const known = this.eocEnd.get(el);
    if (known !== undefined) return known;
    // children() walks each child to its end and notes where the 00 00 after the last one ends.
    for (const child of this.children(el, depth)) void child;
    return this.eocEnd.get(el)!;
  }

  private readonly eocEnd = new WeakMap<BerElement, number>();

  /** The elements inside a constructed one, in order; `depth` is the element's own. */
  *children(el: BerElement, depth: number): Generator<BerElement> {
    if (depth >= this.maxDepth) throw new BerTooDeep(`BER nested deeper than ${this.maxDepth}`);
    if (!el.constructed) throw new BerDamage(`element at byte ${el.start} is not constructed`);
    const bound = el.bodyEnd ?? el.bound;
    let pos = el.body;
    for (;;) {
      if (el.bodyEnd !== undefined && pos === el.bodyEnd) return;
      if (this.byte(pos, bound) === 0 && this.byte(pos + 1, bound) === 0) {
        if (el.bodyEnd !== undefined) throw new BerDamage(`end-of-contents inside a definite length at byte ${pos}`);
        this.eocEnd.set(el, pos + 2);
        return;
      }
      const child = this.element(pos, bound);
      yield child;
      pos = this.end(child, depth + 1);
    }
  }
}
