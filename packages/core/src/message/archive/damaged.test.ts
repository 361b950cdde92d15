import { bufferSource } from './byte-source';
import { listArchive } from './list-archive';
import { buildTar, paxData } from './__fixtures__/build-tar';
import { buildZip, extraField } from './__fixtures__/build-zip';

const limits = { memory: 1 << 16, hard: 1 << 20 };

// A small deterministic generator, so that a failure can be run again.
function* flips(seed: number, count: number): Generator<number> {
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    yield x;
  }
}

async function listAll(bytes: Buffer): Promise<void> {
  const listing = await listArchive(bufferSource(bytes), limits);
  for (const m of listing?.members ?? []) {
    m.content?.();
    m.head?.();
  }
  listing?.dispose?.();
}

describe('listArchive: damaged zips and tars are damaged listings, never errors', () => {
  const zip = buildZip([
    { name: 'a.txt', data: Buffer.from('hello hello hello'), extra: extraField(0x7075, Buffer.from('\x01\0\0\0\0run.bat', 'latin1')) },
    { name: 'b.zip', data: buildZip([{ name: 'c.exe', data: Buffer.from('MZ') }]), method: 0, zip64: true },
  ], { prepend: Buffer.alloc(40, 1) });
  const tar = buildTar([
    { name: 'h', type: 'x', data: paxData({ path: 'run.bat', size: '5' }) }, { name: 'a.txt', data: Buffer.from('hello') },
    { name: 'l', type: '2', linkname: 'a.txt' },
  ]);

  it.each([['zip', zip], ['tar', tar]])('%s cut anywhere or with bytes changed', async (_kind, whole) => {
    for (let cut = 0; cut <= whole.length; cut += 7) await expect(listAll(whole.subarray(0, cut))).resolves.toBeUndefined();
    for (const r of flips(whole.length, 400)) {
      const bad = Buffer.from(whole);
      bad[r % bad.length] = (r >>> 8) & 0xff;
      await expect(listAll(bad)).resolves.toBeUndefined();
    }
  });
});
