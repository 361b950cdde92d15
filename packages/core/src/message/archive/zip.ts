import { inflateRawSync } from 'node:zlib';
import type { ByteSource } from './byte-source';
import type { ArchiveListing, ArchiveMember } from './member';
import { memberNames } from './member-names';
import { findZipEnd, type ZipEnd } from './zip-end';
import { readZipExtra } from './zip-extra';

const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function memberContent(src: ByteSource, localOffset: number, method: number, compressed: number, limit: number): Buffer | undefined {
  const local = src.read(localOffset, 30);
  if (local.length < 30 || local.readUInt32LE(0) !== LOCAL) return undefined;
  if (compressed > limit) return undefined;
  const data = src.read(localOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28), compressed);
  try {
    if (method === 0) return data;
    if (method === 8) return inflateRawSync(data, { maxOutputLength: limit });
  } catch {
    return undefined;
  }
  return undefined;
}

function fromCentralDirectory(src: ByteSource, zipEnd: ZipEnd, limit: number): ArchiveMember[] {
  const members: ArchiveMember[] = [];
  // The directory is read whole: at most 64k entries of bounded size, far below the hard cap.
  const cd = src.read(zipEnd.cdStart, Math.min(zipEnd.cdSize, zipEnd.end - zipEnd.cdStart));
  let at = 0;
  for (let i = 0; i < zipEnd.count && at + 46 <= cd.length && cd.readUInt32LE(at) === CENTRAL; i++) {
    const flags = cd.readUInt16LE(at + 8);
    const method = cd.readUInt16LE(at + 10);
    const compressed = cd.readUInt32LE(at + 20);
    const size = cd.readUInt32LE(at + 24);
    const nameLength = cd.readUInt16LE(at + 28);
    const extra = cd.readUInt16LE(at + 30);
    const comment = cd.readUInt16LE(at + 32);
    const local = cd.readUInt32LE(at + 42) + zipEnd.shift;
    const stored = cd.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const fields = readZipExtra(cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extra), { size, compressed });
    const encrypted = (flags & 1) === 1;
    members.push({
      // unzip and 7-Zip save the file under the Unicode Path; older tools under the stored name.
      ...memberNames([fields.unicodePath, stored]), size, encrypted,
      content: () => (encrypted ? undefined : memberContent(src, local, method, compressed, limit)),
    });
    at += 46 + nameLength + extra + comment;
  }
  return members;
}

// Without a central directory (a truncated zip) the local headers still name the members.
function fromLocalHeaders(src: ByteSource): ArchiveMember[] {
  const members: ArchiveMember[] = [];
  let at = 0;
  for (;;) {
    const head = src.read(at, 30);
    if (head.length < 30 || head.readUInt32LE(0) !== LOCAL) break;
    const flags = head.readUInt16LE(6);
    const compressed = head.readUInt32LE(18);
    const size = head.readUInt32LE(22);
    const nameLength = head.readUInt16LE(26);
    const extra = head.readUInt16LE(28);
    members.push({
      name: src.read(at + 30, nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1'),
      size,
      encrypted: (flags & 1) === 1,
    });
    if (flags & 8 && compressed === 0) break; // sizes follow the data: cannot skip it safely
    at += 30 + nameLength + extra + compressed;
  }
  return members;
}

/** List a zip's members; `limit` caps reading and inflating one member for nested listing. */
export function listZip(src: ByteSource, limit: number): ArchiveListing {
  const end = findZipEnd(src, true);
  if (end) {
    const members = fromCentralDirectory(src, end, limit);
    if (members.length > 0 || end.cdSize === 0) return { format: 'zip', members };
  }
  return { format: 'zip', members: fromLocalHeaders(src), problem: 'zip has no readable central directory' };
}
