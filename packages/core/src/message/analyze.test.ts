import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { analyze } from './analyze';
import type { MessageModel } from './model';

const run = (text: string | Buffer, options = {}): Promise<MessageModel> =>
  analyze(Readable.from([Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8')]), options);

const b64 = (data: Buffer | string): string =>
  (Buffer.isBuffer(data) ? data : Buffer.from(data)).toString('base64').replace(/.{76}/g, '$&\r\n');

function multipart(parts: string[], boundary = 'BOUND'): string {
  return [
    'From: a@example.org', 'To: b@acme.example', 'Subject: test', 'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`, '', 'preamble',
    ...parts.map((p) => `--${boundary}\r\n${p}`), `--${boundary}--`, '',
  ].join('\r\n');
}

const attachment = (headers: string, body = b64('MZ\x90\x00payload')): string =>
  `${headers}\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`;

/** A zip built by hand: local headers, central directory, end record (deflate or stored). */
function zip(entries: { name: string; data: Buffer; encrypted?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const packed = deflateRawSync(e.data);
    const flags = e.encrypted ? 1 : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 6); central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10); central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

function tar(entries: { name: string; data: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of entries) {
    const h = Buffer.alloc(512);
    h.write(e.name, 0); h.write('0000644\0', 100); h.write('0000000\0', 108); h.write('0000000\0', 116);
    h.write(e.data.length.toString(8).padStart(11, '0') + '\0', 124); h.write('00000000000\0', 136);
    h.write('        ', 148); h.write('0', 156); h.write('ustar\0', 257); h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    blocks.push(h, e.data, Buffer.alloc((512 - (e.data.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

const names = (m: MessageModel): string[][] => m.parts.map((p) => p.filenames);
const part = (m: MessageModel, name: string) => m.parts.find((p) => p.filenames.includes(name));

describe('analyze: headers and structure', () => {
  it('lists top-level headers in order, unfolded and decoded', async () => {
    const m = await run('From: Al <al@smtp.weirdal.com>\r\nSubject: =?utf-8?B?aMOpbGxv?=\r\n\t again\r\nX-Mailer: Outlook\r\n\r\nbody\r\n');
    expect(m.headers.map((h) => h.name)).toEqual(['From', 'Subject', 'X-Mailer']);
    expect(m.headers[1]).toEqual({ name: 'Subject', value: '=?utf-8?B?aMOpbGxv?=\t again', decoded: 'héllo\t again' });
    expect(m.parts).toHaveLength(1);
    expect(m.parts[0]).toMatchObject({ path: '0', carrier: '0', type: 'text/plain', size: 6, multipart: false, depth: 0 });
    expect(m.malformed).toEqual([]);
  });

  it('numbers entities like IMAP and gives decoded sizes', async () => {
    const m = await run(multipart([
      'Content-Type: text/plain\r\n\r\nhello',
      attachment('Content-Type: application/pdf; name="a.pdf"', b64('%PDF-1.4 0123456789')),
    ]));
    expect(m.parts.map((p) => [p.path, p.type, p.depth])).toEqual([
      ['0', 'multipart/mixed', 0], ['1', 'text/plain', 1], ['2', 'application/pdf', 1],
    ]);
    expect(part(m, 'a.pdf')?.size).toBe(19);
    expect(m.size).toBeGreaterThan(100);
  });
});

describe('analyze: file names from every place, decoded', () => {
  it.each([
    ['RFC 2231 charset', `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename*=utf-8''evil%2Eexe`, 'evil.exe'],
    ['RFC 2231 continuations', `Content-Type: application/octet-stream; name*0*=utf-8''invoice.pdf%2E; name*1="exe"`, 'invoice.pdf.exe'],
    ['RFC 2047 word', 'Content-Type: application/octet-stream; name="=?utf-8?B?ZXZpbC5leGU=?="', 'evil.exe'],
    ['percent escapes', 'Content-Type: application/octet-stream; name="evil%2eexe"', 'evil.exe'],
    ['trailing dots and spaces', 'Content-Type: application/octet-stream; name="a.exe. "', 'a.exe'],
    ['latin1 continuation', `Content-Type: application/octet-stream; name*0*=iso-8859-1''r%E9sum%E9; name*1=".exe"`, 'résumé.exe'],
  ])('%s', async (_trick, headers, expected) => {
    const m = await run(multipart([attachment(headers)]));
    expect(names(m)).toContainEqual(expect.arrayContaining([expected]));
  });

  it('keeps every name when Content-Type and Content-Disposition disagree or repeat', async () => {
    const m = await run(multipart([attachment(
      'Content-Type: application/octet-stream; name="readme.txt"\r\nContent-Disposition: attachment; filename="safe.txt"; filename="run.exe"',
    )]));
    // The name that gives the part away is the one notices and logs show.
    expect(m.parts[1]!.filename).toBe('run.exe');
    expect([...m.parts[1]!.filenames].sort()).toEqual(['readme.txt', 'run.exe', 'safe.txt']);
  });
});

describe('analyze: line ends', () => {
  it('reads a bare CR as the rewriter will deliver it (a line end), and flags it', async () => {
    const message = multipart([attachment('Content-Type: application/octet-stream\rContent-Disposition: attachment; filename="evil.exe"')]);
    const model = await run(message);
    expect(model.parts[1]).toMatchObject({ filename: 'evil.exe' });
    expect(model.malformed).toContainEqual(expect.objectContaining({ kind: 'bare-cr', path: '' }));
  });

  it('does not flag CRLF or bare LF line ends', async () => {
    const model = await run(multipart(['Content-Type: text/plain\r\n\r\nhi']).replace(/\r\n/g, '\n'));
    expect(model.malformed).toEqual([]);
  });
});

describe('analyze: names that lie', () => {
  it('flags double extensions', async () => {
    const m = await run(multipart([attachment('Content-Type: application/octet-stream; name="invoice.pdf.exe"'),
      attachment('Content-Type: application/gzip; name="backup.tar.gz"', b64(gzipSync(Buffer.from('x'))))]));
    expect(part(m, 'invoice.pdf.exe')?.doubleExtension).toBe(true);
    expect(part(m, 'backup.tar.gz')?.doubleExtension).toBe(false);
  });

  it.each([
    ['U+202E right-to-left override', 'Content-Type: application/octet-stream; name="photo\u202Egpj.exe"'],
    ['CLSID extension', 'Content-Type: application/octet-stream; name="notes.txt.{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}"'],
    ['executable name declared as an image', 'Content-Type: image/jpeg; name="holiday.exe"'],
  ])('flags a name mismatch: %s', async (_trick, headers) => {
    const m = await run(Buffer.from(multipart([attachment(headers)]), 'utf8'));
    expect(m.parts[1]!.nameMismatch).toBe(true);
  });

  it('flags executable content under a harmless name', async () => {
    const m = await run(multipart([attachment('Content-Type: image/png; name="cat.png"')]));
    expect(part(m, 'cat.png')?.nameMismatch).toBe(true);
  });

  it('takes a Hebrew or Arabic name with direction marks (RLM, LRM) for what it is: they reorder nothing (trial O)', async () => {
    const m = await run(multipart([attachment('Content-Type: application/pdf; name="=?utf-8?B?' + Buffer.from('\u05d3\u05d5\u05d7\u200f.pdf').toString('base64') + '?="', b64('%PDF-1.7'))]));
    expect(m.parts[1]).toMatchObject({ filename: '\u05d3\u05d5\u05d7\u200f.pdf', nameMismatch: false });
  });

  it('takes a compressed SVG (.svgz, gzip by definition) declared image/svg+xml for what it is (trial O)', async () => {
    const svgz = gzipSync(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    const m = await run(multipart([attachment('Content-Type: image/svg+xml; name="logo.svgz"', b64(svgz)), attachment('Content-Type: image/png; name="cat.png"', b64(svgz))]));
    expect(part(m, 'logo.svgz')?.nameMismatch).toBe(false);
    expect(part(m, 'cat.png')?.nameMismatch).toBe(true);
  });

  it('takes text that starts "MZ" for text: a program\'s DOS header has zero octets in it (trial O)', async () => {
    const m = await run(multipart([attachment('Content-Type: text/csv; name="countries.csv"', b64('MZ,Mozambique\r\nNA,Namibia\r\n'))]));
    expect(part(m, 'countries.csv')?.nameMismatch).toBe(false);
  });

  it('flags a Windows shortcut under a harmless name, and not under its own (trial L)', async () => {
    const lnk = Buffer.concat([Buffer.from('4c0000000114020000000000c000000000000046', 'hex'), Buffer.alloc(60)]);
    const m = await run(multipart([attachment('Content-Type: text/plain; name="readme.txt"', b64(lnk)), attachment('Content-Type: application/octet-stream; name="open.lnk"', b64(lnk))]));
    expect(part(m, 'readme.txt')?.nameMismatch).toBe(true);
    expect(part(m, 'open.lnk')?.nameMismatch).toBe(false);
  });

  it('does not flag an honest attachment', async () => {
    const m = await run(multipart([attachment('Content-Type: application/pdf; name="report.pdf"', b64('%PDF-1.7'))]));
    expect(part(m, 'report.pdf')).toMatchObject({ nameMismatch: false, doubleExtension: false });
  });
});

describe('analyze: archives', () => {
  it('lists zip members, also in folders, with sizes', async () => {
    const z = zip([{ name: 'docs/update.exe', data: Buffer.from([0x4d, 0x5a, 0x90, 0x00]) }, { name: 'readme.txt', data: Buffer.from('hi') }]);
    const m = await run(multipart([attachment('Content-Type: application/zip; name="files.zip"', b64(z))]));
    const member = m.parts.find((p) => p.inArchive && p.filenames.includes('update.exe'));
    expect(member).toMatchObject({ path: '1/docs/update.exe', carrier: '1', size: 4, inArchive: true, encrypted: false });
    expect(member!.filenames).toContain('docs/update.exe');
    expect(part(m, 'readme.txt')?.inArchive).toBe(true);
  });

  it('names zip members as they are saved: trailing dots and spaces dropped', async () => {
    const z = zip([{ name: 'run.exe. ', data: Buffer.from('MZ') }, { name: 'sub\\tool.exe ', data: Buffer.from('MZ') }]);
    const m = await run(multipart([attachment('Content-Type: application/zip; name="files.zip"', b64(z))]));
    expect(m.parts.filter((p) => p.inArchive).map((p) => p.filenames)).toEqual([['run.exe'], ['tool.exe', 'sub\\tool.exe']]);
    expect(part(m, 'run.exe')?.type).toBe('application/x-msdownload');
  });

  it('marks encrypted zip members and the archive that holds them', async () => {
    const z = zip([{ name: 'secret.exe', data: Buffer.from('xxxx'), encrypted: true }]);
    const m = await run(multipart([attachment('Content-Type: application/zip; name="locked.zip"', b64(z))]));
    expect(part(m, 'secret.exe')).toMatchObject({ encrypted: true, inArchive: true });
    expect(part(m, 'locked.zip')?.encrypted).toBe(true);
  });

  it('lists tar and tar.gz members', async () => {
    const t = tar([{ name: 'bin/tool.exe', data: Buffer.from('MZ') }]);
    const m = await run(multipart([
      attachment('Content-Type: application/x-tar; name="a.tar"', b64(t)),
      attachment('Content-Type: application/gzip; name="a.tar.gz"', b64(gzipSync(t))),
    ]));
    expect(m.parts.filter((p) => p.inArchive).map((p) => p.path)).toEqual(['1/bin/tool.exe', '2/bin/tool.exe']);
  });

  it('lists the one file of a gzip that is no tar: by its stored name and by the archive name without .gz', async () => {
    const exe = Buffer.from('MZ\x90\x00payload');
    const plain = gzipSync(exe);
    // FNAME (RFC 1952 2.3.1): flag bit 3 and the zero-ended name after the fixed header.
    const named = Buffer.concat([plain.subarray(0, 3), Buffer.from([plain[3]! | 8]), plain.subarray(4, 10), Buffer.from('payload.exe\0'), plain.subarray(10)]);
    const inner = zip([{ name: 'deep.scr', data: exe }]);
    const m = await run(multipart([
      attachment('Content-Type: application/gzip; name="tool.exe.gz"', b64(plain)),
      attachment('Content-Type: application/octet-stream; name="renamed.gz"', b64(named)),
      attachment('Content-Type: application/gzip; name="files.zip.gz"', b64(gzipSync(inner))),
    ]));
    expect(m.parts.filter((p) => p.inArchive).map((p) => [p.path, p.filenames, p.type])).toEqual([
      ['1/tool.exe', ['tool.exe'], 'application/x-msdownload'],
      ['2/payload.exe', ['payload.exe', 'renamed'], 'application/x-msdownload'],
      ['3/files.zip', ['files.zip'], 'application/zip'],
      ['3/files.zip/deep.scr', ['deep.scr'], 'application/octet-stream'],
    ]);
    expect(m.malformed).toEqual([]);
  });

  it('finds a zip by its bytes when the name and type hide it', async () => {
    const z = zip([{ name: 'payload.scr', data: Buffer.from('MZ') }]);
    const m = await run(multipart([attachment('Content-Type: application/octet-stream; name="data.bin"', b64(z))]));
    expect(part(m, 'payload.scr')?.carrier).toBe('1');
  });

  it('lists a zip inside a zip', async () => {
    const inner = zip([{ name: 'deep.exe', data: Buffer.from('MZ') }]);
    const outer = zip([{ name: 'inner.zip', data: inner }]);
    const m = await run(multipart([attachment('Content-Type: application/zip; name="outer.zip"', b64(outer))]));
    expect(part(m, 'deep.exe')).toMatchObject({ path: '1/inner.zip/deep.exe', carrier: '1', depth: 3 });
  });

  it('reports an archive over the size cap instead of holding it', async () => {
    const z = zip([{ name: 'big.bin', data: randomBytes(4096) }, { name: 'x.exe', data: Buffer.from('MZ') }]);
    const m = await run(multipart([attachment('Content-Type: application/zip; name="big.zip"', b64(z))]), { maxContainerSize: 1024 });
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'limits', path: '1' }));
    expect(part(m, 'x.exe')).toBeUndefined();
  });
});

describe('analyze: containers larger than memory', () => {
  // The module object itself (not an import namespace copy), so a spy sees spool.ts's calls.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  const spoolDirs = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('mailward-spool-'));
  afterEach(() => jest.restoreAllMocks());

  it('spools a large zip to a temp file, lists it from there, and removes the file', async () => {
    const made = jest.spyOn(fs, 'mkdtempSync');
    const before = spoolDirs();
    const z = zip([{ name: 'big.bin', data: randomBytes(8192) }, { name: 'x.exe', data: Buffer.from('MZ') }]);
    const m = await run(multipart([attachment('Content-Type: application/zip; name="big.zip"', b64(z))]), { spoolAbove: 1024 });
    expect(made).toHaveBeenCalled();
    expect(part(m, 'x.exe')).toMatchObject({ path: '1/x.exe', inArchive: true });
    expect(part(m, 'big.bin')?.size).toBe(8192);
    expect(m.malformed).toEqual([]);
    expect(spoolDirs()).toEqual(before);
  });

  it('lists a spooled tar.gz whose decompressed tar is spooled too', async () => {
    const made = jest.spyOn(fs, 'mkdtempSync');
    const t = tar([{ name: 'pad.bin', data: randomBytes(6000) }, { name: 'late/tool.exe', data: Buffer.from('MZ') }]);
    const m = await run(multipart([attachment('Content-Type: application/gzip; name="a.tgz"', b64(gzipSync(t)))]), { spoolAbove: 1024 });
    expect(made.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(m.parts.filter((p) => p.inArchive).map((p) => p.path)).toEqual(['1/pad.bin', '1/late/tool.exe']);
  });

  it('analyzes a spooled attached message as a stream', async () => {
    const inner = multipart([`Content-Type: text/plain\r\n\r\n${'filler line\r\n'.repeat(300)}`,
      attachment('Content-Type: application/octet-stream; name="evil.exe"')], 'INNER');
    const m = await run(multipart([attachment('Content-Type: message/rfc822; name="fwd.eml"', b64(inner))]), { spoolAbove: 512 });
    expect(part(m, 'evil.exe')).toMatchObject({ path: '1/2', carrier: '1' });
  });

  it('reports an archive nested too deep to be listed, instead of passing what is in it unseen', async () => {
    let nested = zip([{ name: 'deep.exe', data: Buffer.from('MZ') }]);
    for (let i = 0; i < 3; i++) nested = zip([{ name: `level${i}.zip`, data: nested }]);
    const m = await run(multipart([attachment('Content-Type: application/zip; name="outer.zip"', b64(nested))]));
    expect(part(m, 'deep.exe')).toBeUndefined();
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'limits', path: '1', detail: expect.stringMatching(/level2\.zip\/level1\.zip\/level0\.zip: archive nested deeper than 3 archives was not opened/) }));
  });

  it('reports a gzip that decompresses past the hard cap, without keeping it', async () => {
    const bomb = gzipSync(Buffer.alloc(200_000));
    const m = await run(multipart([attachment('Content-Type: application/gzip; name="z.gz"', b64(bomb))]),
      { spoolAbove: 4096, maxContainerSize: 50_000 });
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'limits', path: '1' }));
    expect(m.parts.filter((p) => p.inArchive)).toEqual([]);
  });
});

describe('analyze: attached messages', () => {
  const inner = multipart([attachment('Content-Type: application/octet-stream; name="evil.exe"')], 'INNER');

  it('analyzes a base64 attached .eml', async () => {
    const m = await run(multipart([attachment('Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="fwd.eml"', b64(inner))]));
    expect(part(m, 'evil.exe')).toMatchObject({ path: '1/1', carrier: '1', depth: 3 });
  });

  it('reports an attached message at the depth limit, which is not opened', async () => {
    const m = await run(multipart([attachment('Content-Type: message/rfc822', b64(inner))]), { maxDepth: 1 });
    expect(part(m, 'evil.exe')).toBeUndefined();
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'limits', path: '1', detail: 'attached message nested deeper than 1 was not opened' }));
  });

  it('reads a digest part without Content-Type as the message it is (RFC 2046 5.1.5)', async () => {
    const digest = [
      'Content-Type: multipart/digest; boundary=d', '', '--d', '', 'Subject: one', '', 'text', '--d', '', inner,
      '--d', 'Content-Type: text/plain', '', 'From: not@a.message', '', 'a text part', '--d--', '',
    ].join('\r\n');
    const m = await run(digest);
    expect(m.parts.map((p) => [p.path, p.type])).toEqual(expect.arrayContaining([['1', 'message/rfc822'], ['2', 'message/rfc822'], ['3', 'text/plain']]));
    expect(part(m, 'evil.exe')).toMatchObject({ path: '2/1', carrier: '2' });
    expect(m.malformed).toEqual([]);
  });

  it('analyzes a message/global, the internationalized message (RFC 6532 3.7), sent as is or in base64', async () => {
    for (const body of [inner, b64(inner)]) {
      const encoding = body === inner ? '8bit' : 'base64';
      const m = await run(multipart([`Content-Type: message/global\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n${body}`]));
      expect(part(m, 'evil.exe')).toMatchObject({ path: '1/1', carrier: '1' });
    }
  });

  it('reports a message/partial fragment, at the top or as a part, which cannot be analyzed whole', async () => {
    const fragment = 'Content-Type: message/partial; id="f1@example.net"; number=1; total=2\r\n\r\n' + inner.split('evil.exe')[0];
    const detail = 'message/partial: a fragment of a message that is never whole here, so it was not analyzed';
    expect((await run(fragment)).malformed).toEqual([{ kind: 'limits', path: '0', detail }]);
    const m = await run(multipart(['Content-Type: text/plain\r\n\r\nhi', 'Content-Type: message/partial; id="f1@example.net"; number=2; total=2\r\n\r\nAAAA']));
    expect(m.malformed).toEqual([{ kind: 'limits', path: '2', detail }]);
  });

  it('sees into an inline message/rfc822 with its own numbering', async () => {
    const m = await run(multipart([`Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n${inner}`]));
    expect(part(m, 'evil.exe')).toMatchObject({ path: '1.1', carrier: '1.1' });
    expect(m.parts.map((p) => p.path)).toContain('1.0');
  });
});

describe('analyze: malformed', () => {
  it('reports a nested boundary that is the outer one followed by -- (or the other way round): one line, two meanings', async () => {
    const nested = (outer: string, inner: string) => [
      `Content-Type: multipart/mixed; boundary="${outer}"`, '', `--${outer}`, `Content-Type: multipart/mixed; boundary="${inner}"`, '',
      `--${inner}`, 'Content-Type: application/octet-stream; name=evil.exe', '', 'MZ', `--${inner}--`, `--${outer}--`, '',
    ].join('\r\n');
    for (const [outer, inner] of [['BND', 'BND--'], ['BND--', 'BND']]) {
      const m = await run(nested(outer!, inner!));
      expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'duplicate-boundary', path: '1' }));
    }
    // One that only extends the other is read alike by readers that match the whole line (the
    // evasion corpus's prefix-boundaries case: its program is stripped), as are shared beginnings.
    for (const [outer, inner] of [['BND', 'BND-inner'], ['----=_NextPart_000_0001', '----=_NextPart_001_0002']]) {
      expect((await run(nested(outer!, inner!))).malformed).toEqual([]);
    }
  });

  it('reports a NUL octet, in a body or a header', async () => {
    for (const m of ['Subject: a\r\n\r\nhello\0world\r\n', 'Subject: a\0b\r\n\r\nhello\r\n']) {
      expect((await run(m)).malformed).toContainEqual(expect.objectContaining({ kind: 'bad-encoding', detail: expect.stringMatching(/NUL/) }));
    }
    expect((await run('Subject: a\r\n\r\nhello\r\n')).malformed).toEqual([]);
  });

  it('reports a binary body in a message with bare LFs, whose LF octets a rewrite would make CRLF (trial G)', async () => {
    const withBinary = (body: string, eol: string): string =>
      ['MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=B', '', '--B', 'Content-Type: text/plain', '', 'hi', '--B',
        'Content-Type: image/jpeg', 'Content-Transfer-Encoding: binary', '', body, '--B--', ''].join(eol);
    const flagged = (await run(withBinary('\xff\xd8\n\x01\n\x02', '\r\n'))).malformed;
    expect(flagged).toEqual([expect.objectContaining({ kind: 'bad-encoding', path: '2', detail: expect.stringMatching(/^a binary body in a message with bare LF line ends/) })]);
    // CRLF throughout, or bare LFs and no binary part: nothing to lose.
    expect((await run(withBinary('\xff\xd8\x01\x02', '\r\n'))).malformed).toEqual([]);
    expect((await run(withBinary('\xff\xd8\x01\x02', '\n').replace('binary', 'base64').replace('\xff\xd8\x01\x02', '/9gBAg=='))).malformed).toEqual([]);
  });

  it('reports duplicate boundary parameters', async () => {
    const m = await run('Content-Type: multipart/mixed; boundary=a; boundary=b\r\n\r\n--a\r\n\r\nx\r\n--b\r\n\r\ny\r\n--a--\r\n');
    expect(m.malformed.map((x) => x.kind)).toContain('duplicate-boundary');
  });

  it('does not take an epilogue after the closing boundary for an unclosed multipart', async () => {
    const m = await run('Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: text/plain\r\n\r\nx\r\n--a--\r\nthe epilogue\r\nmore epilogue\r\n');
    expect(m.malformed).toEqual([]);
  });

  it('reports a multipart that never closes', async () => {
    const m = await run('Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\nContent-Type: text/plain\r\n\r\nx\r\n');
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'unclosed-multipart', path: '0' }));
  });

  it('reports undecodable base64', async () => {
    const m = await run(multipart([attachment('Content-Type: application/octet-stream; name="x.bin"', 'TVqQ!!AA@@==\r\nmore')]));
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'bad-encoding', path: '1' }));
  });

  it('reports header lines that are not fields, and repeated Content-Type', async () => {
    const m = await run('From: a@b\r\nthis is not a header\r\nContent-Type: text/plain\r\nContent-Type: text/html\r\n\r\nx');
    expect(m.malformed.filter((x) => x.kind === 'bad-header').length).toBeGreaterThanOrEqual(1);
  });

  it('does not flag a part with no header fields (RFC 2046 5.1.1: it is text/plain)', async () => {
    const m = await run('Content-Type: multipart/mixed; boundary=a\r\n\r\n--a\r\n\r\nplain text\r\n--a--\r\n');
    expect(m.parts[1]).toMatchObject({ path: '1', type: 'text/plain', size: 10 });
    expect(m.malformed).toEqual([]);
  });

  it('sees a part whose header block the next delimiter cuts short, and what it holds', async () => {
    // No blank line: Python's email takes the first line that is no field for the body, and
    // saves cut.exe with the program in it; mailsplit dropped the part, header lines and all.
    const m = await run(multipart(['Content-Type: text/plain\r\n\r\nhi', 'Content-Type: application/octet-stream; name="cut.exe"\r\nContent-Transfer-Encoding: base64\r\nTVqQAAMAAAAEAAAA', 'Content-Type: text/plain\r\n\r\nlast']));
    expect(m.parts.map((p) => `${p.path} ${p.filename ?? ''}`)).toEqual(['0 ', '1 ', '2 cut.exe', '3 ']);
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'bad-header', path: '2' }));
  });

  it('reports a boundary parameter with trailing spaces', async () => {
    const m = await run('Content-Type: multipart/mixed; boundary="zz  "\r\n\r\n--zz\r\n\r\nx\r\n--zz--\r\n');
    expect(m.malformed).toContainEqual(expect.objectContaining({ kind: 'bad-header', path: '0' }));
  });

  it('reports limits: too many parts, too deep, too large a header block', async () => {
    const many = multipart(Array.from({ length: 30 }, () => 'Content-Type: text/plain\r\n\r\nx'));
    expect((await run(many, { maxParts: 10 })).malformed.map((x) => x.kind)).toContain('limits');
    let deep = 'x';
    for (let i = 0; i < 12; i++) deep = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${deep}\r\n--b${i}--`;
    expect((await run(deep, { maxDepth: 5 })).malformed.map((x) => x.kind)).toContain('limits');
    const bigHeader = `X-Big: ${'a'.repeat(5000)}\r\n\r\nbody`;
    expect((await run(bigHeader, { maxHeadSize: 1024 })).malformed.map((x) => x.kind)).toContain('limits');
  });
});
