import { randomBytes } from 'node:crypto';
import { bufferSource } from './byte-source';
import { listArchive } from './list-archive';
import { analyzeAttached } from './__fixtures__/analyze-attached';
import { buildTar } from './__fixtures__/build-tar';
import { buildZip } from './__fixtures__/build-zip';

const limits = { memory: 4096, hard: 1 << 24 };
const limitOf = async (bytes: Buffer): Promise<string | undefined> => (await listArchive(bufferSource(bytes), limits))?.limit;
const inner = buildZip([{ name: 'evil.exe', data: Buffer.from('MZ'), method: 0 }, { name: 'pad.bin', data: randomBytes(8192), method: 0 }]);

describe('listArchive: members that could not be read are said', () => {
  it('says a member in a compression method that is not supported (bzip2, LZMA, deflate64)', async () => {
    const z = buildZip([{ name: 'inner.zip', data: Buffer.from('BZh91AY&SY'), method: 12 }, { name: 'a.txt', data: Buffer.from('x'), method: 14 }]);
    expect(await limitOf(z)).toBe('zip member inner.zip: compressed with bzip2 (method 12), which is not supported, so it was not read; '
      + 'zip member a.txt: compressed with LZMA (method 14), which is not supported, so it was not read');
  });

  it('says an inner archive too big to open, known by its name or by its bytes', async () => {
    for (const name of ['inner.zip', 'inner.dat']) {
      for (const method of [0, 8]) {
        expect(await limitOf(buildZip([{ name, data: inner, method }]))).toBe(`zip member ${name}: an archive that does not decompress within 4096 bytes, so it was not opened`);
      }
    }
    expect(await limitOf(buildTar([{ name: 'docs/inner.bin', data: inner }]))).toMatch(/^tar member docs\/inner.bin: an archive/);
  });

  it('says an inner archive whose declared size lies, caught only by inflating it', async () => {
    const z = buildZip([{ name: 'inner.zip', data: inner }]);
    z.writeUInt32LE(100, 22); // the local header's size
    z.writeUInt32LE(100, z.indexOf(Buffer.from('PK\x01\x02')) + 24); // the central one
    expect(await limitOf(z)).toMatch(/inner.zip: an archive that does not decompress within 4096 bytes/);
  });

  it('says nothing of a big member that is no archive, nor of one it could read', async () => {
    expect(await limitOf(buildZip([{ name: 'big.bin', data: randomBytes(8192) }, { name: 'small.zip', data: buildZip([]) }]))).toBeUndefined();
  });

  it('reads a zip64 member through its extra field', async () => {
    const listing = await listArchive(bufferSource(buildZip([{ name: 'inner.zip', data: buildZip([]), method: 0, zip64: true }])), limits);
    expect(listing?.members[0]).toMatchObject({ name: 'inner.zip', size: 22 });
    expect(listing?.members[0]!.content?.()).toEqual(buildZip([]));
    expect(listing?.limit).toBeUndefined();
  });

  it('makes analysis report the archive as malformed: limits', async () => {
    const m = await analyzeAttached('docs.zip', buildZip([{ name: 'inner.zip', data: inner }]), 'application/zip', { spoolAbove: 4096 });
    expect(m.malformed).toContainEqual({ kind: 'limits', path: '1', detail: 'zip member inner.zip: an archive that does not decompress within 4096 bytes, so it was not opened' });
  });
});
