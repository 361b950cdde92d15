import { bufferSource } from './byte-source';
import { isArchiveName, isArchiveType, listArchive } from './list-archive';
import { analyzeAttached } from './__fixtures__/analyze-attached';
import { buildTar } from './__fixtures__/build-tar';
import { buildZip } from './__fixtures__/build-zip';

const limits = { memory: 1 << 20, hard: 1 << 24 };
const samples: [string, Buffer, string][] = [
  ['7z', Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(40)]), '7z archives are not opened'],
  ['rar', Buffer.concat([Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1'), Buffer.alloc(40)]), 'rar archives are not opened'],
  ['bzip2', Buffer.concat([Buffer.from('BZh91AY&SY', 'latin1'), Buffer.alloc(40)]), 'bzip2-compressed files (tar.bz2 included) are not opened'],
  ['xz', Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 4]), Buffer.alloc(40)]), 'xz-compressed files (tar.xz included) are not opened'],
  // Trial L: formats 7-Zip or Windows 11 open, which passed unopened and unsaid.
  ['zstd', Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x58]), Buffer.alloc(40)]), 'zstd-compressed files (tar.zst included) are not opened'],
  ['lz4', Buffer.concat([Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x64, 0x40]), Buffer.alloc(40)]), 'lz4-compressed files (tar.lz4 included) are not opened'],
  ['lzip', Buffer.concat([Buffer.from('LZIP\x01\x0c', 'latin1'), Buffer.alloc(40)]), 'lzip-compressed files (tar.lz included) are not opened'],
  ['lzma', Buffer.concat([Buffer.from([0x5d, 0x00, 0x00, 0x80, 0x00]), Buffer.alloc(8, 0xff), Buffer.alloc(40)]), 'lzma-compressed files (tar.lzma included) are not opened'],
  ['cab', Buffer.concat([Buffer.from('MSCF\0\0\0\0', 'latin1'), Buffer.alloc(40)]), 'cab archives are not opened'],
  ['cpio', Buffer.from(`070701${'0'.repeat(104)}evil.exe\0`, 'latin1'), 'cpio archives are not opened'],
  ['ar', Buffer.concat([Buffer.from('!<arch>\nevil.exe/       ', 'latin1'), Buffer.alloc(40)]), 'ar archives (.a, .deb) are not opened'],
];

describe('listArchive: 7z, rar, bzip2, xz and the other formats it does not open', () => {
  it.each(samples)('knows %s by its magic and says it is not opened', async (format, bytes, limit) => {
    expect(await listArchive(bufferSource(bytes), limits)).toEqual({ format, members: [], limit });
  });

  it('makes analysis report one inside a zip, under any name, as the zip\'s malformed: limits', async () => {
    const m = await analyzeAttached('docs.zip', buildZip([{ name: 'docs.dat', data: samples[0]![1] }]));
    expect(m.malformed).toContainEqual({ kind: 'limits', path: '1', detail: 'docs.dat: 7z archives are not opened' });
  });

  it('knows one by its first bytes under a harmless name and type, past its first 512 bytes', async () => {
    const big = Buffer.concat([samples[0]![1], Buffer.alloc(4000, 1)]);
    const m = await analyzeAttached('notes.dat', big, 'application/octet-stream');
    expect(m.malformed).toContainEqual({ kind: 'limits', path: '1', detail: '7z archives are not opened' });
  });

  it('reports one two archives down, in a zip in a zip', async () => {
    const inner = buildZip([{ name: 'docs.dat', data: samples[2]![1] }]);
    const m = await analyzeAttached('outer.zip', buildZip([{ name: 'inner.zip', data: inner }]));
    expect(m.malformed).toContainEqual({ kind: 'limits', path: '1', detail: 'inner.zip/docs.dat: bzip2-compressed files (tar.bz2 included) are not opened' });
  });

  it('keeps such attachments by their names and types, to be looked at', () => {
    expect(['a.7z', 'a.rar', 'a.tar.bz2', 'a.tbz2', 'a.tar.xz', 'a.txz', 'a.tar.zst', 'a.lz4', 'a.tar.lzma', 'a.cab', 'a.cpio', 'a.deb', 'a.iso', 'a.img', 'a.vhdx'].every(isArchiveName)).toBe(true);
    expect(['application/x-7z-compressed', 'application/vnd.rar', 'application/x-bzip2', 'application/x-xz', 'application/zstd', 'application/vnd.ms-cab-compressed'].every(isArchiveType)).toBe(true);
  });

  it('knows a disk image, which Windows mounts on a double click, at its volume descriptor or boot sector (trial N)', async () => {
    const limit = 'disk images (iso, img, vhd), which Windows mounts as a drive on a double click, are not opened';
    const iso = Buffer.alloc(0x8800);
    iso.write('\x01CD001\x01', 0x8000, 'latin1');
    const fat = Buffer.alloc(2048);
    fat.write('FAT12   ', 0x36, 'latin1');
    fat[510] = 0x55;
    fat[511] = 0xaa;
    const vhdx = Buffer.concat([Buffer.from('vhdxfile', 'latin1'), Buffer.alloc(600)]);
    for (const image of [iso, fat, vhdx]) expect(await listArchive(bufferSource(image), limits)).toEqual({ format: 'disk image', members: [], limit });
    const m = await analyzeAttached('invoice.zip', buildZip([{ name: 'invoice.iso', data: iso }]));
    expect(m.malformed).toContainEqual({ kind: 'limits', path: '1', detail: `invoice.iso: ${limit}` });
    expect(await listArchive(bufferSource(Buffer.alloc(0x8800)), limits)).toBeUndefined(); // zeros are no image
  });

  it("lists a tar that a guess also reads (a volume descriptor or LZMA's properties in its bytes), and says the guess (review)", async () => {
    const exe = Buffer.from('MZ\x90\0', 'latin1');
    const data = Buffer.alloc(0x9000);
    data.write('\x01CD001\x01', 0x8000 - 512, 'latin1'); // the member's data starts at 512
    const iso = await listArchive(bufferSource(buildTar([{ name: 'evil.exe', data }])), limits);
    expect(iso).toMatchObject({ format: 'tar', members: [{ name: 'evil.exe' }], limit: expect.stringMatching(/disk images/) });
    const lzma = await listArchive(bufferSource(buildTar([{ name: ']\0\0\x01', data: Buffer.from('x') }, { name: 'evil.exe', data: exe }])), limits);
    expect(lzma?.members.map((m) => m.name)).toContain('evil.exe');
    expect(lzma?.limit).toMatch(/lzma-compressed files/);
  });

  it('takes no text or other binary for one of the formats without a strong magic', async () => {
    for (const bytes of [Buffer.from('070701 is the order number\r\n'), Buffer.from([0x5d, 0x00, 0x00, 0x81, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]), Buffer.from('LZIP is a format\r\n')]) {
      expect(await listArchive(bufferSource(Buffer.concat([bytes, Buffer.alloc(40, 0x20)])), limits)).toBeUndefined(); // no archive at all
    }
  });

  it('makes analysis report a 7z attachment as malformed: limits', async () => {
    const m = await analyzeAttached('docs.7z', samples[0]![1], 'application/octet-stream');
    expect(m.malformed).toContainEqual({ kind: 'limits', path: '1', detail: '7z archives are not opened' });
  });
});
