import type { ByteSource } from './byte-source';
import type { ZipEnd } from './zip-end';
import { readZipExtra } from './zip-extra';

const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** One zip entry as a header (central or local) describes it. */
export interface ZipHeader {
  /** The names it is given: Unicode Path first (what unzip and 7-Zip save), then the stored name. */
  names: string[];
  flags: number;
  method: number;
  compressed: number;
  size: number;
  /** Where its local header starts (shift applied). */
  local: number;
}

/** A local header and where its data starts. */
export interface LocalHeader extends ZipHeader {
  dataStart: number;
}

const decode = (raw: Buffer, flags: number): string => raw.toString(flags & 0x800 ? 'utf8' : 'latin1');

/**
 * Every central directory entry, walked by the directory's size rather than the end record's
 * count: a count of 1 (or 0) for three entries hides two from a lister that trusts it, while
 * unzip, 7-Zip and Python list all three.
 */
export function centralHeaders(src: ByteSource, zipEnd: ZipEnd): ZipHeader[] {
  const headers: ZipHeader[] = [];
  // Read whole: it lies between its start and the end record, inside the body's hard cap.
  const cd = src.read(zipEnd.cdStart, Math.min(zipEnd.cdSize, zipEnd.end - zipEnd.cdStart));
  for (let at = 0; at + 46 <= cd.length && cd.readUInt32LE(at) === CENTRAL;) {
    const flags = cd.readUInt16LE(at + 8);
    const nameEnd = at + 46 + cd.readUInt16LE(at + 28);
    const extraEnd = nameEnd + cd.readUInt16LE(at + 30);
    const stored = { size: cd.readUInt32LE(at + 24), compressed: cd.readUInt32LE(at + 20), offset: cd.readUInt32LE(at + 42) };
    const fields = readZipExtra(cd.subarray(nameEnd, extraEnd), stored);
    headers.push({
      names: [fields.unicodePath, decode(cd.subarray(at + 46, nameEnd), flags)].filter((n): n is string => n !== undefined),
      flags,
      method: cd.readUInt16LE(at + 10),
      compressed: fields.compressed ?? stored.compressed,
      size: fields.size ?? stored.size,
      local: (fields.offset ?? stored.offset) + zipEnd.shift,
    });
    at = extraEnd + cd.readUInt16LE(at + 32);
  }
  return headers;
}

/** The local header at `at`, if one is there. */
export function localHeader(src: ByteSource, at: number): LocalHeader | undefined {
  const head = src.read(at, 30);
  if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) return undefined;
  const flags = head.readUInt16LE(6);
  const nameEnd = at + 30 + head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  const stored = { size: head.readUInt32LE(22), compressed: head.readUInt32LE(18) };
  // zip64 puts both sizes in the local extra field when either is escaped.
  const escaped = stored.size === 0xffffffff || stored.compressed === 0xffffffff;
  const fields = readZipExtra(src.read(nameEnd, extraLength), escaped ? { size: 0xffffffff, compressed: 0xffffffff } : stored);
  return {
    names: [fields.unicodePath, decode(src.read(at + 30, nameEnd - at - 30), flags)].filter((n): n is string => n !== undefined),
    flags,
    method: head.readUInt16LE(8),
    compressed: fields.compressed ?? stored.compressed,
    size: fields.size ?? stored.size,
    local: at,
    dataStart: nameEnd + extraLength,
  };
}
