import { bufferSource } from './byte-source';
import { listTar } from './tar';
import { analyzeAttached, memberFilenames } from './__fixtures__/analyze-attached';
import { buildTar, paxData } from './__fixtures__/build-tar';

const listed = (bytes: Buffer): (string | string[] | number)[][] =>
  listTar(bufferSource(bytes), 1 << 20).members.map((m) => [m.name, m.otherNames ?? [], m.size]);
const bat = Buffer.from('@echo off\r\n');

describe('listTar: pax extended headers', () => {
  it('names the next file by a pax path, as GNU tar and bsdtar save it, and by its header name', () => {
    const t = buildTar([{ name: 'PaxHeaders/readme.txt', type: 'x', data: paxData({ path: 'tools/run.bat' }) }, { name: 'readme.txt', data: bat }, { name: 'b.txt', data: bat }]);
    expect(listed(t)).toEqual([['tools/run.bat', ['readme.txt'], 11], ['b.txt', [], 11]]);
  });

  it('names every later file by a global pax path', () => {
    const t = buildTar([{ name: 'GlobalHead', type: 'g', data: paxData({ comment: 'x', path: 'run.bat' }) }, { name: 'readme.txt', data: bat }]);
    expect(listed(t)).toEqual([['run.bat', ['readme.txt'], 11]]);
  });

  it('takes a pax size over the header size, to find the file and the next header', () => {
    const hidden = buildTar([{ name: 'evil.exe', data: Buffer.from('MZ') }]).subarray(0, 1024);
    const t = buildTar([{ name: 'h', type: 'x', data: paxData({ size: String(hidden.length) }) }, { name: 'a.txt', data: hidden }]);
    // The header says no bytes: read by it, the file's data would be taken for evil.exe's header.
    const zeroed = Buffer.from(t);
    zeroed.write('00000000000\0', 1024 + 124);
    expect(listed(zeroed)).toEqual([['a.txt', [], 1024]]);
  });

  it('gives analysis the pax path, so a part condition on *.bat matches', async () => {
    const t = buildTar([{ name: 'h', type: 'x', data: paxData({ path: 'run.bat' }) }, { name: 'readme.txt', data: bat }]);
    expect(memberFilenames(await analyzeAttached('docs.tar', t, 'application/x-tar'))).toEqual([['run.bat', 'readme.txt']]);
  });
});
