import { gunzipSync } from 'node:zlib';
import type { ArchiveListing } from './member';
import { listZip } from './zip';
import { listTar, looksLikeTar } from './tar';

/** Names and types that say "this is an archive we can list". */
export function isArchiveName(name: string): boolean {
  return /\.(zip|jar|tar|tgz|tar\.gz|gz)$/i.test(name);
}

const ARCHIVE_TYPES = new Set([
  'application/zip', 'application/x-zip', 'application/x-zip-compressed', 'application/x-tar',
  'application/gzip', 'application/x-gzip', 'application/x-gtar', 'application/x-compressed',
  'application/x-compressed-tar',
]);

/** True when a declared type is an archive type. */
export function isArchiveType(type: string): boolean {
  return ARCHIVE_TYPES.has(type);
}

/** List an archive from its decoded bytes, by what the bytes are (never by the name alone). */
export function listArchive(buf: Buffer, limit: number): ArchiveListing | undefined {
  if (buf.length >= 4 && buf.readUInt32LE(0) === 0x04034b50) return listZip(buf, limit);
  if (buf.length >= 22 && buf.readUInt32LE(0) === 0x06054b50) return listZip(buf, limit);
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) {
    let inner: Buffer;
    try {
      inner = gunzipSync(buf, { maxOutputLength: limit });
    } catch (err) {
      return { format: 'gzip', members: [], problem: `gzip does not decompress within the limit: ${(err as Error).message}` };
    }
    return looksLikeTar(inner) ? listTar(inner, 'tar.gz') : { format: 'gzip', members: [] };
  }
  if (looksLikeTar(buf)) return listTar(buf);
  return undefined;
}
