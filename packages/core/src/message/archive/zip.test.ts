import { bufferSource } from './byte-source';
import { listArchive } from './list-archive';
import type { ArchiveListing } from './member';
import { buildZip } from './__fixtures__/build-zip';

const limits = { memory: 1 << 20, hard: 1 << 24 };
const list = async (bytes: Buffer): Promise<ArchiveListing | undefined> => listArchive(bufferSource(bytes), limits);
const exe = Buffer.from('MZ\x90\x00 this program cannot be run in DOS mode');

describe('listArchive: a zip with bytes before it', () => {
  const stub = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n'), Buffer.alloc(120, 7)]);

  it('is found by its end record, with offsets shifted by the bytes before it (unzip, 7-Zip)', async () => {
    const listing = await list(buildZip([{ name: 'run.bat', data: Buffer.from('@echo off') }], { prepend: stub }));
    expect(listing).toMatchObject({ format: 'zip', members: [{ name: 'run.bat', size: 9 }] });
    expect(listing?.problem).toBeUndefined();
    expect(listing?.members[0]!.content?.()).toEqual(Buffer.from('@echo off'));
  });

  it('is found with offsets counted from the start of the file (zip -A)', async () => {
    const listing = await list(buildZip([{ name: 'evil.exe', data: exe }], { prepend: stub, absolute: true }));
    expect(listing?.members[0]!.content?.()).toEqual(exe);
  });

  it('is not made up from an end record whose directory is not there', async () => {
    const fake = Buffer.concat([stub, Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
    fake.writeUInt32LE(40, stub.length + 12);
    expect(await list(fake)).toBeUndefined();
  });
});
