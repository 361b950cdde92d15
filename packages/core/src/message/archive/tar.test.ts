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

describe('listTar: links', () => {
  const payload = Buffer.from('MsgBox "hi"');

  it('lists a hard link under its own name, with the content of the file it links to', () => {
    const t = buildTar([{ name: 'payload.txt', data: payload }, { name: 'evil.vbs', type: '1', linkname: 'payload.txt' }]);
    const members = listTar(bufferSource(t), 1024).members;
    expect(members.map((m) => [m.name, m.size])).toEqual([['payload.txt', 11], ['evil.vbs', 11]]);
    expect(members[1]!.content?.()).toEqual(payload);
  });

  it('lists a symlink under its own name, its target found from the link directory', () => {
    const t = buildTar([{ name: 'docs/evil.vbs', type: '2', linkname: '../data/./payload.txt' }, { name: 'data/payload.txt', data: payload }]);
    const members = listTar(bufferSource(t), 1024).members;
    expect(members.map((m) => m.name)).toEqual(['docs/evil.vbs', 'data/payload.txt']);
    expect(members[0]!.content?.()).toEqual(payload);
  });

  it('lists a link whose target is not in the archive, with no content', () => {
    const t = buildTar([{ name: 'h', type: 'x', data: paxData({ path: 'run.bat', linkpath: '/etc/passwd' }) }, { name: 'x', type: '2', linkname: 'y' }]);
    expect(listTar(bufferSource(t), 1024).members.map((m) => [m.name, m.size, m.content?.()])).toEqual([['run.bat', 0, undefined]]);
  });
});
