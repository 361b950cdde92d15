import type { ByteSource } from './byte-source';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const CENTRAL = 0x02014b50;
// End record (22 bytes) plus the longest comment it may carry.
const TAIL = 22 + 0xffff;

/** Where a zip's central directory is, as its end record says, and how far the zip is shifted. */
export interface ZipEnd {
  cdStart: number;
  cdSize: number;
  /** Bytes before the zip (an SFX stub, a polyglot's other file): added to every stored offset. */
  shift: number;
  /** The entry count the end record claims. */
  count: number;
  /** Where the end record (zip64 or classic) starts: the directory cannot run past it. */
  end: number;
  /**
   * The other directory, when the zip64 end record and the classic one name different ones:
   * Python's zipfile reads the zip64 one whenever it is there, unzip the classic one.
   */
  other?: ZipEnd;
}

// Archives past 4 GiB or 65535 entries keep the real numbers in a zip64 end record, found
// through the locator just before the classic one.
function zip64Numbers(src: ByteSource, at: number): { cdStart: number; cdSize: number; end: number } | undefined {
  if (at < 20) return undefined;
  const locator = src.read(at - 20, 20);
  if (locator.length < 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR) return undefined;
  const end = Number(locator.readBigUInt64LE(8));
  if (end > at - 20) return undefined;
  const record = src.read(end, 56);
  if (record.length < 56 || record.readUInt32LE(0) !== ZIP64_END) return undefined;
  return { cdSize: Number(record.readBigUInt64LE(40)), cdStart: Number(record.readBigUInt64LE(48)), end };
}

const startsCentral = (src: ByteSource, at: number): boolean => {
  const sig = src.read(at, 4);
  return sig.length === 4 && sig.readUInt32LE(0) === CENTRAL;
};

/**
 * Find the end record in the tail and check that a central directory starts where it says.
 * Offsets are taken as written and, failing that, shifted by the bytes before the zip (the
 * directory must end where the end record starts), as unzip and 7-Zip do: a zip behind a stub
 * or inside a polyglot is still a zip to them. An empty directory counts only when `empty`.
 */
export function findZipEnd(src: ByteSource, empty = false): ZipEnd | undefined {
  const tailStart = Math.max(0, src.length - TAIL);
  const tail = src.read(tailStart, src.length - tailStart);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== EOCD) continue;
    const at = tailStart + i;
    const count = tail.readUInt16LE(i + 10);
    const classic = { cdSize: tail.readUInt32LE(i + 12), cdStart: tail.readUInt32LE(i + 16), end: at };
    const zip64 = zip64Numbers(src, at);
    const { cdSize, cdStart, end } = classic.cdSize === 0xffffffff || classic.cdStart === 0xffffffff ? zip64 ?? classic : classic;
    const other = zip64 && zip64.cdStart !== cdStart && zip64.cdSize > 0 && zip64.cdStart + zip64.cdSize <= zip64.end && startsCentral(src, zip64.cdStart)
      ? { cdStart: zip64.cdStart, cdSize: zip64.cdSize, shift: 0, end: zip64.end, count: 0 } : undefined;
    const found = findDirectory(src, cdStart, cdSize, end, count, empty);
    if (found) return other ? { ...found, other } : found;
    // A classic record that names no directory leaves the zip64 one, which Python reads anyway.
    if (other) return other;
  }
  return undefined;
}

/** The directory an end record names, taken as written or shifted by the bytes before the zip. */
function findDirectory(src: ByteSource, cdStart: number, cdSize: number, end: number, count: number, empty: boolean): ZipEnd | undefined {
  if (cdSize === 0) return empty && cdStart <= end ? { cdStart, cdSize, shift: 0, end, count } : undefined;
  if (cdStart + cdSize <= end && startsCentral(src, cdStart)) return { cdStart, cdSize, shift: 0, end, count };
  const shift = end - cdSize - cdStart;
  if (shift > 0 && startsCentral(src, cdStart + shift)) return { cdStart: cdStart + shift, cdSize, shift, end, count };
  return undefined;
}
