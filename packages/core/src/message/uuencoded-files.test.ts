import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { analyze } from './analyze';
import { UuencodedFiles } from './uuencoded-files';

/** A stored zip of one file (a zip writer would do the same; this keeps the test self-contained). */
function storedZip(name: string, data: Buffer): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(n.length, 28);
  const cdAt = local.length + n.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + n.length, 12);
  end.writeUInt32LE(cdAt, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

const uu = (data: Buffer): string => {
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += 45) {
    const chunk = data.subarray(i, i + 45);
    let line = String.fromCharCode(32 + chunk.length);
    for (let j = 0; j < chunk.length; j += 3) {
      const n = ((chunk[j] ?? 0) << 16) | ((chunk[j + 1] ?? 0) << 8) | (chunk[j + 2] ?? 0);
      for (const shift of [18, 12, 6, 0]) line += String.fromCharCode(((n >> shift) & 63) === 0 ? 96 : 32 + ((n >> shift) & 63));
    }
    lines.push(line);
  }
  return `${lines.join('\r\n')}\r\n\`\r\n`;
};

const yenc = (data: Buffer): string => {
  let out = '';
  for (const b of data) {
    const c = (b + 42) & 255;
    out += [0, 10, 13, 61].includes(c) ? `=${String.fromCharCode((c + 64) & 255)}` : String.fromCharCode(c);
  }
  return `${out.replace(/(.{128})/g, '$1\r\n')}\r\n`;
};

const program = Buffer.concat([Buffer.from('MZ\x90\x00', 'latin1'), Buffer.alloc(60), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);

const decoded = (body: string, size: number): Buffer[] => {
  const files = new UuencodedFiles(1 << 20, 1 << 24);
  for (let i = 0; i < body.length; i += size) files.write(Buffer.from(body.slice(i, i + size), 'latin1'));
  files.end();
  const out = files.files.map((f) => f.body()?.read(0, f.size) ?? Buffer.alloc(0));
  files.dispose();
  return out;
};

describe('UuencodedFiles: the archives uuencoded in a body, decoded', () => {
  const zip = storedZip('docs/evil.exe', program);

  it.each([1, 7, 100, 1 << 20])('decodes uuencode, begin-base64 and yEnc blocks in chunks of %i', (size) => {
    const body = `Hi\r\nbegin 644 a.zip\r\n${uu(zip)}end\r\ntext\r\nbegin-base64 644 b.zip\r\n${zip.toString('base64').replace(/(.{76})/g, '$1\r\n')}\r\n====\r\n=ybegin line=128 size=${zip.length} name=c.zip\r\n${yenc(zip)}=yend size=${zip.length}\r\n`;
    const files = decoded(body, size);
    expect(files).toHaveLength(3);
    for (const file of files) expect(file.equals(zip)).toBe(true);
  });

  it('keeps only what may be an archive, by name or by its first bytes', () => {
    const body = `begin 644 evil.exe\r\n${uu(program)}end\r\nbegin 644 notes.txt\r\n${uu(zip)}end\r\n`;
    const files = decoded(body, 1 << 20);
    expect(files.map((f) => f.length)).toEqual([0, zip.length]);
  });
});

describe('analyze: archives uuencoded in a text part', () => {
  const message = (headers: string, body: string): Readable =>
    Readable.from([Buffer.from(`From: a@example.org\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B\r\n${headers}\r\n\r\n${body}\r\n--B--\r\n`, 'latin1')]);
  const zip = storedZip('docs/evil.exe', program);

  it.each([
    ['uuencoded', 'Content-Type: text/plain', `see\r\nbegin 644 docs.zip\r\n${uu(zip)}end`],
    ['yEnc-encoded', 'Content-Type: text/plain; charset=x-user-defined\r\nContent-Transfer-Encoding: 8bit', `=ybegin line=128 size=${zip.length} name=docs.zip\r\n${yenc(zip)}=yend size=${zip.length}`],
    ['uuencoded in a base64 text part', 'Content-Type: text/plain\r\nContent-Transfer-Encoding: base64', Buffer.from(`begin 644 docs.zip\r\n${uu(zip)}end\r\n`, 'latin1').toString('base64')],
  ])('lists a %s zip\'s members as the text part\'s, which carries them', async (_how, headers, body) => {
    const m = await analyze(message(headers, body));
    const member = m.parts.find((p) => p.inArchive);
    expect(member).toMatchObject({ path: '2/docs/evil.exe', carrier: '2', filename: 'evil.exe', type: 'application/x-msdownload' });
    expect(m.malformed).toEqual([]);
  });

  it('names the file of a uuencoded gzip after the block (tool.exe.gz holds tool.exe)', async () => {
    const m = await analyze(message('Content-Type: text/plain', `begin 644 tool.exe.gz\r\n${uu(gzipSync(program))}end`));
    expect(m.parts.filter((p) => p.inArchive).map((p) => [p.path, p.carrier, p.filenames])).toEqual([['2/tool.exe', '2', ['tool.exe']]]);
  });

  it('says a damaged uuencoded zip, and one over the hard cap, of the text part', async () => {
    const cut = await analyze(message('Content-Type: text/plain', `begin 644 docs.zip\r\n${uu(zip.subarray(0, zip.length - 30))}end`));
    expect(cut.malformed).toEqual([expect.objectContaining({ kind: 'bad-encoding', path: '2', detail: expect.stringMatching(/^docs\.zip: /) })]);
    const big = await analyze(message('Content-Type: text/plain', `begin 644 docs.zip\r\n${uu(zip)}end`), { maxContainerSize: 200 });
    expect(big.malformed).toContainEqual({ kind: 'limits', path: '2', detail: 'docs.zip: uuencoded archive over 200 bytes was not opened' });
  });
});

describe('analyze: what a uuencoded file is, whatever its begin name says', () => {
  const message = (headers: string, body: string): Readable =>
    Readable.from([Buffer.from(`From: a@example.org\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B\r\n${headers}\r\n\r\n${body}\r\n--B--\r\n`, 'latin1')]);

  it.each([
    ['uuencoded', `begin 644 readme.txt\r\n${uu(program)}end`],
    ['begin-base64', `begin-base64 644 readme.txt\r\n${program.toString('base64')}\r\n====`],
    ['yEnc', `=ybegin line=128 size=${program.length} name=readme.txt\r\n${yenc(program)}=yend size=${program.length}`],
  ])('a program %s as readme.txt is a name mismatch of the part, as an attached one is', async (_how, body) => {
    const m = await analyze(message('Content-Type: text/plain; charset=x-user-defined\r\nContent-Transfer-Encoding: 8bit', body));
    expect(m.parts[2]).toMatchObject({ filenames: ['readme.txt'], nameMismatch: true });
  });

  it('a text uuencoded as readme.txt is no mismatch', async () => {
    const m = await analyze(message('Content-Type: text/plain', `begin 644 readme.txt\r\n${uu(Buffer.from('just words\r\n'))}end`));
    expect(m.parts[2]!.nameMismatch).toBe(false);
  });
});

describe('analyze: a uuencoded block in an application/octet-stream part', () => {
  const message = (headers: string, body: string): Readable =>
    Readable.from([Buffer.from(`From: a@example.org\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B\r\n${headers}\r\n\r\n${body}\r\n--B--\r\n`, 'latin1')]);
  const zip = storedZip('docs/evil.exe', program);

  it.each([
    ['as it is', 'Content-Type: application/octet-stream; name=files.uue', `begin 644 evil.exe\r\n${uu(program)}end`],
    ['in base64', 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64', Buffer.from(`begin 644 evil.exe\r\n${uu(program)}end\r\n`, 'latin1').toString('base64')],
  ])('names the part after the file (Evolution opens it as text), sent %s', async (_how, headers, body) => {
    const m = await analyze(message(headers, body));
    expect(m.parts[2]!.filenames).toContain('evil.exe');
    expect(m.parts[2]!.filename).toBe('evil.exe');
  });

  it('lists the members of a zip uuencoded there', async () => {
    const m = await analyze(message('Content-Type: application/octet-stream', `begin 644 docs.zip\r\n${uu(zip)}end`));
    expect(m.parts.find((p) => p.inArchive)).toMatchObject({ path: '2/docs/evil.exe', carrier: '2', filename: 'evil.exe' });
  });
});

describe('analyze: a begin name in double quotes', () => {
  const message = (body: string): Readable =>
    Readable.from([Buffer.from(`From: a@example.org\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n${body}\r\n`, 'latin1')]);

  it.each([
    ['uuencode', `begin 644 "evil.exe"\r\n${uu(program)}end`],
    ['begin-base64', `begin-base64 644 "evil.exe"\r\n${program.toString('base64')}\r\n====`],
    ['yEnc', `=ybegin line=128 size=${program.length} name="evil.exe"\r\n${yenc(program)}=yend size=${program.length}`],
  ])('is also the name without them, as ripMIME saves it (%s)', async (_how, body) => {
    const m = await analyze(message(body));
    expect(m.parts[0]).toMatchObject({ filenames: ['"evil.exe"', 'evil.exe'], filename: 'evil.exe' });
  });

  it('opens a quoted archive name as the archive', async () => {
    const m = await analyze(message(`begin 644 "tool.exe.gz"\r\n${uu(gzipSync(program))}end`));
    expect(m.parts.filter((p) => p.inArchive).map((p) => p.filenames)).toEqual([['tool.exe']]);
  });
});

describe('analyze: a mail or S/MIME uuencoded in a text part', () => {
  const message = (body: string): Readable =>
    Readable.from([Buffer.from(`From: a@example.org\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nhello\r\n--B\r\nContent-Type: text/plain\r\n\r\n${body}\r\n--B--\r\n`, 'latin1')]);
  const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'smime', '__fixtures__', name));
  const saved = Buffer.from(`From: x@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=I\r\n\r\n--I\r\nContent-Type: text/plain\r\n\r\nhi\r\n--I\r\nContent-Type: application/octet-stream; name=evil.exe\r\nContent-Transfer-Encoding: base64\r\n\r\n${program.toString('base64')}\r\n--I--\r\n`);

  it('opens a quoted .eml name as the mail, and reads a lone quote off a name (review)', async () => {
    const m = await analyze(message(`begin 644 "fwd.eml"\r\n${uu(saved)}end`));
    expect(m.parts.find((p) => p.filename === 'evil.exe')).toMatchObject({ path: '2/fwd.eml/2', carrier: '2' });
    const lone = await analyze(message(`begin 644 evil.exe"\r\n${uu(program)}end`));
    expect(lone.parts.find((p) => p.path === '2')!.filenames).toContain('evil.exe');
  });

  it('analyzes a uuencoded .eml as an attached message, under the part and the file name', async () => {
    const m = await analyze(message(`begin 644 fwd.eml\r\n${uu(saved)}end`));
    expect(m.parts.find((p) => p.filename === 'evil.exe')).toMatchObject({ path: '2/fwd.eml/2', carrier: '2', inArchive: false });
    expect(m.malformed).toEqual([]);
  });

  it('opens a uuencoded signed message and a signed file', async () => {
    const signed = await analyze(message(`begin 644 smime.p7m\r\n${uu(fixture('exe-signed.der'))}end`));
    expect(signed.parts.find((p) => p.filename === 'update.exe')).toMatchObject({ path: '2/smime.p7m/2', carrier: '2' });
    const file = await analyze(message(`begin 644 tool.exe.p7m\r\n${uu(fixture('tool-file.der'))}end`));
    expect(file.parts.find((p) => p.inArchive)).toMatchObject({ path: '2/tool.exe.p7m/tool.exe', carrier: '2', filename: 'tool.exe' });
  });

  it('makes the part encrypted when it carries enveloped S/MIME', async () => {
    const m = await analyze(message(`begin 644 smime.p7m\r\n${uu(fixture('enveloped.der'))}end`));
    expect(m.parts[2]!.encrypted).toBe(true);
  });

  it('says a uuencoded mail over the hard cap, and one past the depth limit, of the text part', async () => {
    const big = await analyze(message(`begin 644 fwd.eml\r\n${uu(saved)}end`), { maxContainerSize: 200 });
    expect(big.malformed).toContainEqual({ kind: 'limits', path: '2', detail: 'fwd.eml: uuencoded message over 200 bytes was not opened' });
    const deep = await analyze(message(`begin 644 fwd.eml\r\n${uu(saved)}end`), { maxDepth: 2 });
    expect(deep.malformed).toContainEqual({ kind: 'limits', path: '2', detail: 'fwd.eml: attached message nested deeper than 2 was not opened' });
  });
});
