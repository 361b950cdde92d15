import { bufferSource } from './byte-source';
import { listArchive } from './list-archive';
import type { ArchiveListing } from './member';
import { analyzeAttached, memberFilenames } from './__fixtures__/analyze-attached';
import { buildZip, extraField } from './__fixtures__/build-zip';

const limits = { memory: 1 << 20, hard: 1 << 24 };
const list = async (bytes: Buffer): Promise<ArchiveListing | undefined> => listArchive(bufferSource(bytes), limits);
const names = (listing: ArchiveListing | undefined): (string | string[])[][] | undefined =>
  listing?.members.map((m) => [m.name, m.otherNames ?? []]);
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

  it('lists an earlier zip too, which a streaming reader (Java, bsdtar) takes from the first byte', async () => {
    const first = buildZip([{ name: 'run.bat', data: Buffer.from('@echo off') }]);
    const last = buildZip([{ name: 'readme.txt', data: Buffer.from('hello') }]);
    const listing = await list(Buffer.concat([first, last]));
    expect(listing?.members.map((m) => m.name)).toEqual(['readme.txt', 'run.bat']);
    expect(listing?.members[1]!.content?.()).toEqual(Buffer.from('@echo off'));
    // Three zips: the middle one is read by its own end record, which ends the bytes before the last.
    const three = await list(Buffer.concat([first, buildZip([{ name: 'evil.exe', data: exe }]), last]));
    expect(three?.members.map((m) => m.name)).toEqual(['readme.txt', 'evil.exe', 'run.bat']);
  });

  it('lists an earlier zip by its local headers when its end record is gone', async () => {
    const first = buildZip([{ name: 'run.bat', data: Buffer.from('@echo off') }]);
    const locals = first.subarray(0, first.indexOf(Buffer.from('PK\x01\x02')));
    const listing = await list(Buffer.concat([locals, buildZip([{ name: 'readme.txt', data: Buffer.from('hello') }])]));
    expect(listing?.members.map((m) => m.name)).toEqual(['readme.txt', 'run.bat']);
  });

  it('is not made up from an end record whose directory is not there', async () => {
    const fake = Buffer.concat([stub, Buffer.from('PK\x05\x06'), Buffer.alloc(18)]);
    fake.writeUInt32LE(40, stub.length + 12);
    expect(await list(fake)).toBeUndefined();
  });
});

/** An Info-ZIP Unicode Path extra field (0x7075): version 1, the stored name's CRC, the name. */
const unicodePath = (name: string): Buffer => extraField(0x7075, Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), Buffer.from(name)]));

describe('listZip: the names extractors use', () => {
  it('names a member by its Unicode Path as unzip and 7-Zip do, and by its stored name', async () => {
    const listing = await list(buildZip([{ name: 'notes.txt', data: exe, method: 0, extra: unicodePath('tools/run.bat') }]));
    expect(names(listing)).toEqual([['tools/run.bat', ['notes.txt']]]);
  });

  it('gives analysis both names, so a part condition on *.bat matches', async () => {
    const m = await analyzeAttached('docs.zip', buildZip([{ name: 'notes.txt', data: exe, extra: unicodePath('run.bat') }]));
    expect(memberFilenames(m)).toEqual([['run.bat', 'notes.txt']]);
  });
});

describe('listZip: the whole central directory, and the local headers', () => {
  const three = [{ name: 'readme.txt', data: Buffer.from('hello') }, { name: 'run.bat', data: Buffer.from('@echo') }, { name: 'evil.exe', data: exe }];

  it('walks the directory by its size, not by the count the end record claims', async () => {
    for (const count of [0, 1]) {
      const listing = await list(buildZip(three, { count }));
      expect(listing?.members.map((m) => m.name)).toEqual(['readme.txt', 'run.bat', 'evil.exe']);
      expect(listing?.members[2]!.content?.()).toEqual(exe);
    }
  });

  it('names a member also as its local header does, where a streaming extractor takes the name', async () => {
    const listing = await list(buildZip([{ name: 'notes.txt', localName: 'evil.vbs', data: exe, method: 0 }]));
    expect(names(listing)).toEqual([['notes.txt', ['evil.vbs']]]);
  });

  it('lists a local entry the central directory leaves out', async () => {
    const whole = buildZip(three);
    const shown = buildZip(three.slice(0, 1));
    // The first entry's directory, the three local entries before it.
    const locals = whole.subarray(0, whole.indexOf(Buffer.from('PK\x01\x02')));
    const directory = shown.subarray(shown.indexOf(Buffer.from('PK\x01\x02')));
    const end = Buffer.from(directory.subarray(directory.length - 22));
    end.writeUInt32LE(locals.length, 16);
    const listing = await list(Buffer.concat([locals, directory.subarray(0, directory.length - 22), end]));
    expect(listing?.members.map((m) => m.name)).toEqual(['readme.txt', 'run.bat', 'evil.exe']);
  });
});

describe('listZip: a zip64 end record', () => {
  it('takes the directory from the zip64 end record when the classic one is escaped', async () => {
    const plain = buildZip([{ name: 'evil.exe', data: exe }]);
    const cdStart = plain.readUInt32LE(plain.length - 6);
    const cdSize = plain.readUInt32LE(plain.length - 10);
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0); record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(1n, 24); record.writeBigUInt64LE(1n, 32);
    record.writeBigUInt64LE(BigInt(cdSize), 40); record.writeBigUInt64LE(BigInt(cdStart), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0); locator.writeBigUInt64LE(BigInt(plain.length - 22), 8);
    const end = Buffer.from(plain.subarray(plain.length - 22));
    end.writeUInt32LE(0xffffffff, 12); end.writeUInt32LE(0xffffffff, 16);
    const listing = await list(Buffer.concat([plain.subarray(0, plain.length - 22), record, locator, end]));
    expect(listing?.members.map((m) => m.name)).toEqual(['evil.exe']);
    expect(listing?.problem).toBeUndefined();
  });

  it('lists the directory a zip64 end record names beside the classic one when they differ (trial L)', async () => {
    // evil.exe's local header hides in the stored data of notes.bin; the classic end record
    // names a directory of notes.bin, the zip64 one (which Python's zipfile reads) one of evil.exe.
    const hidden = buildZip([{ name: 'evil.exe', data: exe, method: 0 }]);
    const hiddenCd = hidden.readUInt32LE(hidden.length - 6);
    const pad = Buffer.from('hello this is text\n'.repeat(4));
    const outer = buildZip([{ name: 'notes.bin', data: Buffer.concat([pad, hidden.subarray(0, hiddenCd)]), method: 0 }]);
    const outerCdEnd = outer.length - 22;
    const evilCentral = Buffer.from(hidden.subarray(hiddenCd, hidden.length - 22));
    evilCentral.writeUInt32LE(30 + 'notes.bin'.length + pad.length, 42);
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0); record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(1n, 24); record.writeBigUInt64LE(1n, 32);
    record.writeBigUInt64LE(BigInt(evilCentral.length), 40); record.writeBigUInt64LE(BigInt(outerCdEnd), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0); locator.writeBigUInt64LE(BigInt(outerCdEnd + evilCentral.length), 8);
    const zip = Buffer.concat([outer.subarray(0, outerCdEnd), evilCentral, record, locator, outer.subarray(outerCdEnd)]);
    const listing = await list(zip);
    expect(listing?.members.map((m) => m.name)).toEqual(['notes.bin', 'evil.exe']);
    expect(listing?.members[1]!.content?.()).toEqual(exe);
    // A classic end record that names no directory (review): the zip64 one is read, as Python reads it.
    const broken = Buffer.from(zip);
    broken.writeUInt32LE(7, broken.length - 6);
    expect((await list(broken))?.members.map((m) => m.name)).toContain('evil.exe');
  });
});
