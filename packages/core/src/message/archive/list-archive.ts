import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Spool } from '../spool';
import type { ByteSource } from './byte-source';
import type { ArchiveListing } from './member';
import { listZip } from './zip';
import { findZipEnd } from './zip-end';
import { gzipListing } from './gzip';
import { listTar, looksLikeTar } from './tar';
import { listTnef } from './tnef';
import { isGzip, isTnef, isZip } from './archive-kind';
import { sayUnread } from './unopened';
import { isDiskImage, isLzmaAlone, UNLISTED_LIMIT, unlistedFormat } from './unlisted';

export { isArchiveName, looksLikeArchive } from './archive-kind';

const ARCHIVE_TYPES = new Set([
  'application/zip', 'application/x-zip', 'application/x-zip-compressed', 'application/x-tar',
  'application/gzip', 'application/x-gzip', 'application/x-gtar', 'application/x-compressed',
  'application/x-compressed-tar', 'application/ms-tnef', 'application/vnd.ms-tnef',
  'application/x-7z-compressed', 'application/vnd.rar', 'application/x-rar-compressed', 'application/x-rar',
  'application/x-bzip2', 'application/x-bzip', 'application/x-xz', 'application/x-bzip-compressed-tar',
  'application/x-xz-compressed-tar', 'application/zstd', 'application/x-zstd', 'application/x-lz4', 'application/x-lzip',
  'application/x-lzma', 'application/vnd.ms-cab-compressed', 'application/x-cpio', 'application/x-archive',
  'application/vnd.debian.binary-package', 'application/x-iso9660-image', 'application/x-cd-image', 'application/x-raw-disk-image',
  'application/x-vhd', 'application/x-vhdx',
]);

/** True when a declared type is an archive type. */
export function isArchiveType(type: string): boolean {
  return ARCHIVE_TYPES.has(type);
}

/** How much listing may hold in memory, and how much it may read at all. */
export interface ListLimits {
  memory: number;
  hard: number;
}

// gzip is decompressed as a stream into a spool (memory, then temp file) and listed from there.
async function gunzipToSpool(src: ByteSource, limits: ListLimits): Promise<{ spool: Spool; problem?: string }> {
  const spool = new Spool(limits.memory, limits.hard);
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      spool.write(chunk);
      done(spool.overflow ? new Error('over the hard limit') : null);
    },
  });
  try {
    await pipeline(src.stream(), createGunzip(), sink);
    return { spool };
  } catch (err) {
    return { spool, problem: (err as Error).message };
  }
}

/**
 * List an archive from its decoded bytes, by what the bytes are (never by the name alone);
 * `holders` are the archive's own names, which name the file of a plain gzip. Members that
 * could not be read are said in the listing's `limit`.
 */
export async function listArchive(src: ByteSource, limits: ListLimits, holders: readonly string[] = []): Promise<ArchiveListing | undefined> {
  const listing = await listByKind(src, limits, holders);
  return listing && sayUnread(listing, limits.memory);
}

async function listByKind(src: ByteSource, limits: ListLimits, holders: readonly string[] = []): Promise<ArchiveListing | undefined> {
  const head = src.read(0, 512);
  if (isZip(head)) return listZip(src, limits.memory);
  if (isGzip(head)) {
    const { spool, problem } = await gunzipToSpool(src, limits);
    const dispose = (): void => spool.dispose();
    if (spool.overflow) {
      dispose();
      return { format: 'gzip', members: [], limit: `gzip decompresses to more than ${limits.hard} bytes` };
    }
    const inner = spool.source();
    const listing: ArchiveListing = inner && looksLikeTar(inner.read(0, 512))
      ? listTar(inner, limits.memory, 'tar.gz')
      : gzipListing(src, inner, holders, limits.memory);
    // A truncated gzip may still have given whole tar headers: keep them, and say it is damaged.
    if (problem) listing.problem = `gzip does not decompress: ${problem}`;
    listing.dispose = dispose;
    return listing;
  }
  if (isTnef(head)) return listTnef(src, limits.memory);
  // Known, not opened (node has no 7z, rar, bzip2, xz, zstd...): said, so that what they hold is no
  // blind spot: a policy's `malformed: limits` holds them.
  const unlisted = unlistedFormat(head);
  if (unlisted) return { format: unlisted, members: [], limit: UNLISTED_LIMIT[unlisted] };
  // Formats known by a guess rather than a magic (a disk image's volume descriptor, LZMA's
  // properties) come after those whose structure is checked: bytes anyone can put in a tar's
  // member must not hide the tar. Where both read, the members are listed and the guess said:
  // a tar that is also an ISO shows other files when Windows mounts it.
  const guess = isDiskImage((at, length) => src.read(at, length), src.length) ? 'disk image' : isLzmaAlone(head) ? 'lzma' : undefined;
  // Bytes before the zip (an SFX stub, a polyglot's image) hide its magic, not its end record:
  // unzip, 7-Zip and Python list such a file, so it is listed here too. Tried after tar, whose
  // last member may be a zip whose end record shows in the tar's tail.
  const listing = looksLikeTar(head) ? listTar(src, limits.memory) : findZipEnd(src) ? listZip(src, limits.memory) : undefined;
  if (!guess) return listing;
  if (!listing) return { format: guess, members: [], limit: UNLISTED_LIMIT[guess] };
  return { ...listing, limit: listing.limit ? `${listing.limit}; ${UNLISTED_LIMIT[guess]}` : `it is also read as another format: ${UNLISTED_LIMIT[guess]}` };
}
