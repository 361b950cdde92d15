import { constants, inflateRawSync } from 'node:zlib';
import { prefixSource, type ByteSource } from './byte-source';
import type { ArchiveListing, ArchiveMember } from './member';
import { memberNames } from './member-names';
import { findZipEnd } from './zip-end';
import { centralHeaders, localHeader, type LocalHeader, type ZipHeader } from './zip-headers';

const DESCRIPTOR = 0x08074b50;

// Methods other zip readers decompress and node's zlib does not (APPNOTE 4.4.5).
const METHODS: Record<number, string> = {
  1: 'shrink', 6: 'implode', 9: 'deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'zstd', 95: 'xz', 98: 'PPMd',
};

const unsupported = (method: number): string | undefined =>
  method === 0 || method === 8 ? undefined : `compressed with ${METHODS[method] ?? 'an unknown method'} (method ${method}), which is not supported`;

function memberContent(src: ByteSource, local: LocalHeader | undefined, method: number, compressed: number, limit: number): Buffer | undefined {
  if (!local || compressed > limit) return undefined;
  const data = src.read(local.dataStart, compressed);
  try {
    if (method === 0) return data;
    if (method === 8) return inflateRawSync(data, { maxOutputLength: limit });
  } catch {
    return undefined;
  }
  return undefined;
}

// The first bytes of a member too big to inflate whole: the start of its data inflated alone
// (1 KiB of deflate gives at most about 1 MiB).
function memberHead(src: ByteSource, local: LocalHeader | undefined, method: number, compressed: number): Buffer | undefined {
  if (!local) return undefined;
  const data = src.read(local.dataStart, Math.min(compressed, method === 0 ? 512 : 1024));
  try {
    if (method === 0) return data;
    if (method === 8) return inflateRawSync(data, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, 512);
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * One member from its central entry and its local header, either of which may be missing. When
 * they disagree on the name both are kept: unzip and 7-Zip save the file under the central
 * name, a streaming extractor (`bsdtar -xf - <`) under the local one.
 */
function member(src: ByteSource, central: ZipHeader | undefined, local: LocalHeader | undefined, limit: number): ArchiveMember {
  const header = central ?? local!;
  const encrypted = ((header.flags | (local?.flags ?? 0)) & 1) === 1;
  const found: ArchiveMember = { ...memberNames([...(central?.names ?? []), ...(local?.names ?? [])]), size: header.size, encrypted };
  if (encrypted) return found;
  const why = unsupported(header.method);
  if (why) return { ...found, unsupported: why };
  found.content = () => memberContent(src, local, header.method, header.compressed, limit);
  found.head = () => memberHead(src, local, header.method, header.compressed);
  return found;
}

// Local headers one after another, as a streaming extractor reads them: they name what a
// truncated zip still holds, and entries the central directory leaves out.
function* localWalk(src: ByteSource, start: number, stop: number, known: Map<number, ZipHeader>): Generator<LocalHeader> {
  for (let at = start; at < stop;) {
    const local = localHeader(src, at);
    if (!local) return;
    yield local;
    const compressed = known.get(at)?.compressed ?? local.compressed;
    if (local.flags & 8 && compressed === 0 && !known.has(at)) return; // sizes follow the data: cannot skip it safely
    at = local.dataStart + compressed;
    if (local.flags & 8) {
      const sig = src.read(at, 4);
      at += sig.length === 4 && sig.readUInt32LE(0) === DESCRIPTOR ? 16 : 12;
    }
  }
}

// Zips before the last one that are read by their own end records; past that, only the first
// zip's local headers (what a streaming reader sees) are listed.
const EARLIER_ZIPS = 16;

/**
 * What lies before the zip that ends the file. A concatenated zip (B then A) is A to unzip and
 * 7-Zip, but B to a streaming reader (Java's ZipInputStream, `bsdtar -xf - <`), which starts
 * at the first byte: the earlier zip is listed by its own end record, which ends the bytes
 * before A, or else by its local headers from the start (a stub yields none).
 */
function earlierMembers(src: ByteSource, before: number, limit: number, depth: number): ArchiveMember[] {
  const prefix = prefixSource(src, before);
  if (depth < EARLIER_ZIPS) return listZip(prefix, limit, depth + 1).members;
  return [...localWalk(prefix, 0, before, new Map())].map((local) => member(prefix, undefined, local, limit));
}

/** List a zip's members; `limit` caps reading and inflating one member for nested listing. */
export function listZip(src: ByteSource, limit: number, depth = 0): ArchiveListing {
  const end = findZipEnd(src, true);
  const centrals = end ? centralHeaders(src, end) : [];
  if (end && (centrals.length > 0 || end.cdSize === 0)) {
    // A second directory (zip64's, naming others) is read too: each reader sees one of the two.
    // An entry both name alike is listed once; one that gives a header another name or size is a reading of its own.
    const same = (a: ZipHeader, b: ZipHeader): boolean => a.local === b.local && a.names.join('/') === b.names.join('/') && a.compressed === b.compressed && a.method === b.method;
    const others = end.other ? centralHeaders(src, end.other).filter((o) => !centrals.some((c) => same(c, o))) : [];
    const known = new Map([...centrals, ...others].map((c) => [c.local, c]));
    const members = [...centrals, ...others].map((c) => member(src, c, localHeader(src, c.local), limit));
    for (const local of localWalk(src, end.shift, end.cdStart, known)) {
      if (!known.has(local.local)) members.push(member(src, undefined, local, limit));
    }
    if (end.shift > 0) members.push(...earlierMembers(src, end.shift, limit, depth));
    return { format: 'zip', members };
  }
  const members = [...localWalk(src, 0, src.length, new Map())].map((local) => member(src, undefined, local, limit));
  return { format: 'zip', members, problem: 'zip has no readable central directory' };
}
