/** Archive and compression formats known by their magic that node's zlib cannot open. */
export type UnlistedFormat = '7z' | 'rar' | 'bzip2' | 'xz' | 'zstd' | 'lz4' | 'lzip' | 'lzma' | 'cab' | 'cpio' | 'ar' | 'disk image';

const MAGIC: [UnlistedFormat, Buffer][] = [
  ['7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['rar', Buffer.from('Rar!\x1a\x07', 'latin1')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
  ['zstd', Buffer.from([0x28, 0xb5, 0x2f, 0xfd])],
  ['lz4', Buffer.from([0x04, 0x22, 0x4d, 0x18])],
  ['lzip', Buffer.from('LZIP\x01', 'latin1')],
  ['cab', Buffer.from('MSCF\0\0\0\0', 'latin1')],
  ['ar', Buffer.from('!<arch>\n', 'latin1')],
];

/** 2^n, or 2^n + 2^(n-1): the dictionary sizes xz and 7-Zip write. */
const isPowerOfTwo = (n: number): boolean => (n & (n - 1)) === 0;
const isDictionarySize = (n: number): boolean => isPowerOfTwo(n) || (n % 3 === 0 && isPowerOfTwo(n / 3));

/**
 * LZMA's own format (.lzma, tar.lzma) has no magic, so this is a guess, tried after tar and zip:
 * a properties byte (0x5D, what every encoder writes by default), a dictionary size from 64 KiB
 * to 1 GiB of the shape encoders write, and a size that is unknown (all ones) or under 2^48.
 */
export function isLzmaAlone(head: Buffer): boolean {
  if (head.length < 13 || head[0] !== 0x5d) return false;
  const dictionary = head.readUInt32LE(1);
  if (dictionary < 1 << 16 || dictionary > 1 << 30 || !isDictionarySize(dictionary)) return false;
  const unknown = head.subarray(5, 13).every((b) => b === 0xff);
  return unknown || (head[11] === 0 && head[12] === 0);
}

/** A cpio header in one of its ASCII forms (newc and crc: hex fields; odc: octal), whole. */
const isCpio = (head: Buffer): boolean => /^(?:07070[12][0-9A-Fa-f]{104}|070707[0-7]{70})/.test(head.subarray(0, 110).toString('latin1'));

/** Which unlisted format these first bytes are, if any (bzip2: `BZh` and a block size digit). */
export function unlistedFormat(head: Buffer): UnlistedFormat | undefined {
  const found = MAGIC.find(([, magic]) => head.subarray(0, magic.length).equals(magic));
  if (found) return found[0];
  if (head.length >= 4 && head.subarray(0, 3).toString('latin1') === 'BZh' && head[3]! >= 0x31 && head[3]! <= 0x39) return 'bzip2';
  return isCpio(head) ? 'cpio' : undefined;
}

/** What the policy is told of an archive in such a format: it was not opened. */
export const UNLISTED_LIMIT: Record<UnlistedFormat, string> = {
  '7z': '7z archives are not opened',
  rar: 'rar archives are not opened',
  bzip2: 'bzip2-compressed files (tar.bz2 included) are not opened',
  xz: 'xz-compressed files (tar.xz included) are not opened',
  zstd: 'zstd-compressed files (tar.zst included) are not opened',
  lz4: 'lz4-compressed files (tar.lz4 included) are not opened',
  lzip: 'lzip-compressed files (tar.lz included) are not opened',
  lzma: 'lzma-compressed files (tar.lzma included) are not opened',
  cab: 'cab archives are not opened',
  cpio: 'cpio archives are not opened',
  ar: 'ar archives (.a, .deb) are not opened',
  'disk image': 'disk images (iso, img, vhd), which Windows mounts as a drive on a double click, are not opened',
};

/**
 * A disk image: ISO 9660 or UDF (`CD001`, `BEA01` in the volume descriptor at 32 KiB), a VHD or
 * VHDX (`conectix` first or in the footer, `vhdxfile`), or a raw FAT or NTFS volume (.img).
 */
export function isDiskImage(read: (at: number, length: number) => Buffer, length: number): boolean {
  const at = (offset: number, text: string): boolean => offset >= 0 && read(offset, text.length).toString('latin1') === text;
  if (at(0x8001, 'CD001') || at(0x8001, 'BEA01') || at(0, 'conectix') || at(0, 'vhdxfile') || at(length - 512, 'conectix')) return true;
  const boot = read(0, 512);
  if (boot.length < 512 || boot[510] !== 0x55 || boot[511] !== 0xaa) return false;
  return boot.toString('latin1', 3, 11) === 'NTFS    ' || /^FAT(12|16)?/.test(boot.toString('latin1', 0x36, 0x3b)) || boot.toString('latin1', 0x52, 0x57) === 'FAT32';
}
