import { inflateRawSync } from 'node:zlib';
import type { ArchiveListing, ArchiveMember } from './member';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function memberContent(buf: Buffer, localOffset: number, method: number, compressed: number, limit: number): Buffer | undefined {
  if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL) return undefined;
  const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
  const data = buf.subarray(start, start + compressed);
  try {
    if (method === 0) return data;
    if (method === 8) return inflateRawSync(data, { maxOutputLength: limit });
  } catch {
    return undefined;
  }
  return undefined;
}

function fromCentralDirectory(buf: Buffer, eocd: number, limit: number): ArchiveMember[] {
  const members: ArchiveMember[] = [];
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let i = 0; i < count && at + 46 <= buf.length && buf.readUInt32LE(at) === CENTRAL; i++) {
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30);
    const comment = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
    const encrypted = (flags & 1) === 1;
    members.push({
      name, size, encrypted,
      content: () => (encrypted ? undefined : memberContent(buf, local, method, compressed, limit)),
    });
    at += 46 + nameLength + extra + comment;
  }
  return members;
}

// Without a central directory (a truncated zip) the local headers still name the members.
function fromLocalHeaders(buf: Buffer): ArchiveMember[] {
  const members: ArchiveMember[] = [];
  let at = 0;
  while (at + 30 <= buf.length && buf.readUInt32LE(at) === LOCAL) {
    const flags = buf.readUInt16LE(at + 6);
    const compressed = buf.readUInt32LE(at + 18);
    const size = buf.readUInt32LE(at + 22);
    const nameLength = buf.readUInt16LE(at + 26);
    const extra = buf.readUInt16LE(at + 28);
    members.push({
      name: buf.subarray(at + 30, at + 30 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1'),
      size,
      encrypted: (flags & 1) === 1,
    });
    if (flags & 8 && compressed === 0) break; // sizes follow the data: cannot skip it safely
    at += 30 + nameLength + extra + compressed;
  }
  return members;
}

/** List a zip's members from its bytes; `limit` caps inflating a member for nested listing. */
export function listZip(buf: Buffer, limit: number): ArchiveListing {
  const from = Math.max(0, buf.length - 65557);
  for (let at = buf.length - 22; at >= from; at--) {
    if (buf.readUInt32LE(at) === EOCD) {
      const members = fromCentralDirectory(buf, at, limit);
      if (members.length > 0 || buf.readUInt16LE(at + 10) === 0) return { format: 'zip', members };
      break;
    }
  }
  return { format: 'zip', members: fromLocalHeaders(buf), problem: 'zip has no readable central directory' };
}
