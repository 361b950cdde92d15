import { looksLikeTar } from './tar';
import { TNEF_SIGNATURE } from './tnef';
import { unlistedFormat } from './unlisted';

/** Names that say "this is an archive": one we list, or one (7z, rar, bzip2, xz, zstd...) we say is not opened. */
export function isArchiveName(name: string): boolean {
  return /\.(zip|jar|tar|tgz|tar\.gz|gz|7z|rar|bz2|tbz2?|xz|txz|zst|tzst|lz4|lz|tlz|lzma|cab|cpio|deb|iso|img|vhdx?|udf)$/i.test(name) || /^winmail\.dat$/i.test(name);
}

export const isZip = (head: Buffer): boolean => head.length >= 4 && (head.readUInt32LE(0) === 0x04034b50 || head.readUInt32LE(0) === 0x06054b50);
export const isGzip = (head: Buffer): boolean => head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
export const isTnef = (head: Buffer): boolean => head.length >= 4 && head.readUInt32LE(0) === TNEF_SIGNATURE;

/** True when these first 512 bytes are those of an archive listArchive lists or says it does not open. */
export function looksLikeArchive(head: Buffer): boolean {
  return isZip(head) || isGzip(head) || isTnef(head) || looksLikeTar(head) || unlistedFormat(head) !== undefined;
}
