import { Readable } from 'node:stream';
import { analyze } from './analyze';
import { UuencodeNames } from './uuencode-names';

describe('UuencodeNames: the files uuencoded in a body', () => {
  it('finds begin lines in any chunking, with the names as they are saved', () => {
    const body = 'Hi,\r\nsee below\r\nbegin 644 evil.exe. \r\nM35I0\r\n`\r\nend\r\nbegin-base64 600 b.scr\r\nTVo=\r\n====\r\n';
    for (const size of [1, 3, 7, body.length]) {
      const uu = new UuencodeNames();
      for (let i = 0; i < body.length; i += size) uu.write(Buffer.from(body.slice(i, i + size)));
      uu.end();
      expect(uu.names).toEqual(['evil.exe', 'b.scr']);
    }
  });

  it('reads a name written in UTF-8 as UTF-8, and other 8-bit octets as latin1', () => {
    const uu = new UuencodeNames();
    uu.write(Buffer.concat([Buffer.from('begin 644 résumé.exe\r\nM3%I0\r\n`\r\nend\r\n=ybegin line=128 size=4 name=naïve.scr\r\n'), Buffer.from('begin 644 caf\xe9.exe\r\n', 'latin1')]));
    uu.end();
    expect(uu.names).toEqual(['résumé.exe', 'naïve.scr', 'café.exe']);
  });

  it('takes a line that only mentions begin for nothing', () => {
    const uu = new UuencodeNames();
    uu.write(Buffer.from('we begin 644 at noon\r\nbegin at 9\r\nbegin 644\r\n'));
    uu.end();
    expect(uu.names).toEqual([]);
  });
});

describe('analyze: uuencoded files', () => {
  const message = (headers: string, body: string): Readable =>
    Readable.from([Buffer.from(`From: a@example.org\r\nTo: b@acme.example\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n${headers}\r\n\r\n${body}\r\n--B--\r\n`)]);

  it.each([
    ['in a plain-text part', 'Content-Type: text/plain', undefined],
    ['in a part sent as x-uuencode under a harmless name', 'Content-Type: application/octet-stream; name="a.txt"\r\nContent-Transfer-Encoding: x-uuencode', 'a.txt'],
    // Trial N: a .uue file, which WinRAR and WinZip open, and its own type.
    ['in an application/x-uuencode part named a.uue', 'Content-Type: application/x-uuencode; name="a.uue"', 'a.uue'],
    ['in a part of another type named a.uue', 'Content-Type: application/x-compressed; name="a.uue"', 'a.uue'],
  ])('names the part after the file %s', async (_where, headers, own) => {
    const m = await analyze(message(headers, 'begin 644 evil.exe\r\n#34UZ\r\n`\r\nend'));
    expect(m.parts[1]!.filenames).toEqual(own ? [own, 'evil.exe'] : ['evil.exe']);
    expect(m.parts[1]!.filename).toBe('evil.exe'); // the name notices show
  });

  it('names a file whose begin line is UTF-8 by its UTF-8 name, in a plain message with no MIME too', async () => {
    const m = await analyze(Readable.from([Buffer.from('From: a@example.org\r\nTo: b@acme.example\r\nSubject: uu\r\n\r\nhello\r\nbegin 644 résumé.exe\r\nM3%I0\r\n`\r\nend\r\n')]));
    expect(m.parts[0]!.filename).toBe('résumé.exe');
  });
});
