/** Archive and compression formats known by their magic that node's zlib cannot open. */
export type UnlistedFormat = '7z' | 'rar' | 'bzip2' | 'xz';

const MAGIC: [UnlistedFormat, Buffer][] = [
  ['7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])],
  ['rar', Buffer.from('Rar!\x1a\x07', 'latin1')],
  ['xz', Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])],
];

/** Which unlisted format these first bytes are, if any (bzip2: `BZh` and a block size digit). */
export function unlistedFormat(head: Buffer): UnlistedFormat | undefined {
  const found = MAGIC.find(([, magic]) => head.subarray(0, magic.length).equals(magic));
  if (found) return found[0];
  return head.length >= 4 && head.subarray(0, 3).toString('latin1') === 'BZh' && head[3]! >= 0x31 && head[3]! <= 0x39 ? 'bzip2' : undefined;
}

/** What the policy is told of an archive in such a format: it was not opened. */
export const UNLISTED_LIMIT: Record<UnlistedFormat, string> = {
  '7z': '7z archives are not opened',
  rar: 'rar archives are not opened',
  bzip2: 'bzip2-compressed files (tar.bz2 included) are not opened',
  xz: 'xz-compressed files (tar.xz included) are not opened',
};
