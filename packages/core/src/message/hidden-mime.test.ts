/** Tricks a second reader (munpack, ripmime, Python's email, Thunderbird) sees through and a first would not. */
import { Readable } from 'node:stream';
import { analyze } from './analyze';
import type { MessageModel } from './model';

const run = (text: string): Promise<MessageModel> => analyze(Readable.from([Buffer.from(text, 'utf8')]));

const message = (parts: string[], outside: { preamble?: string; epilogue?: string } = {}): string => [
  'From: a@example.org', 'To: b@acme.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="B"', '',
  outside.preamble ?? 'preamble', ...parts.map((p) => `--B\r\n${p}`), '--B--', outside.epilogue ?? '',
].join('\r\n');

const kinds = (m: MessageModel): string[] => m.malformed.map((x) => `${x.kind} ${x.path}: ${x.detail}`);
const uu = 'begin 644 run.bat\r\n)0&5C:&\\@;V9F\r\n`\r\nend';

describe('analyze: header fields readers take differently', () => {
  it('two Content-Transfer-Encoding fields are ambiguous', async () => {
    const m = await run(message(['Content-Type: image/png; name="docs.zip"\r\nContent-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==']));
    expect(kinds(m)).toContain('bad-header 1: 2 Content-Transfer-Encoding fields');
  });

  it.each([
    ['Content-Disposition', 'Content-Type: text/plain\r\nContent-Disposition: =?utf-8?B?YXR0YWNobWVudDsgZmlsZW5hbWU9cnVuLmJhdA==?='],
    ['Content-Type', 'Content-Type: =?utf-8?Q?application/x-msdownload?='],
    ['Content-Transfer-Encoding', 'Content-Type: text/plain\r\nContent-Transfer-Encoding: =?utf-8?Q?base64?='],
  ])('a %s written as an encoded word is ambiguous', async (name, headers) => {
    const m = await run(message([`${headers}\r\n\r\nQEVDSE8gT0ZG`]));
    expect(kinds(m)).toContain(`bad-header 1: ${name} written as an encoded word`);
  });

  it('an encoded word inside a quoted file name is ordinary and no damage', async () => {
    const m = await run(message(['Content-Type: application/pdf; name="=?utf-8?B?UmVwb3J0LnBkZg==?="\r\n\r\n%PDF']));
    expect(m.malformed).toEqual([]);
    expect(m.parts[1]!.filenames).toEqual(['Report.pdf']);
  });

  it.each(['x-uuencode', '"base64"', 'base64; x=y', 'x-binhex'])('an unknown Content-Transfer-Encoding (%s) is application/octet-stream (RFC 2045 6.4)', async (cte) => {
    const m = await run(message([`Content-Type: image/png; name="docs.png"\r\nContent-Transfer-Encoding: ${cte}\r\n\r\nQEVDSE8gT0ZG`]));
    expect(m.parts[1]!.type).toBe('application/octet-stream');
    expect(kinds(m).some((k) => k.startsWith('bad-encoding 1: unknown Content-Transfer-Encoding'))).toBe(true);
  });

  it('the known encodings, in any case, are neither', async () => {
    for (const cte of ['7bit', '8BIT', 'Binary', 'quoted-printable', 'BASE64']) {
      const m = await run(message([`Content-Type: text/plain\r\nContent-Transfer-Encoding: ${cte}\r\n\r\naGVsbG8=`]));
      expect([m.parts[1]!.type, m.malformed]).toEqual(['text/plain', []]);
    }
  });
});

describe('analyze: names from every field Thunderbird reads', () => {
  it.each(['Content-Name', 'X-Sun-Data-Name'])('%s', async (field) => {
    const m = await run(message([`Content-Type: text/plain\r\n${field}: run.bat\r\n\r\n@echo off`]));
    expect(m.parts[1]!.filenames).toContain('run.bat');
    expect(m.parts[1]!.filename).toBe('run.bat');
  });

  it('a yEnc block in a text part, as Thunderbird opens it', async () => {
    const m = await run(message(['Content-Type: text/plain\r\n\r\nhi\r\n=ybegin line=128 size=9 name=run.bat\r\nj}mr\r\n=yend size=9']));
    expect(m.parts[1]!.filenames).toContain('run.bat');
  });

  it('uuencode begin lines in upper case and with short modes, as ripmime reads them', async () => {
    for (const begin of ['BEGIN 644 run.bat', 'begin 64 run.bat', 'begin 7 run.bat']) {
      const m = await run(message([`Content-Type: text/plain\r\n\r\n${begin}\r\n)0&5C:&\\@;V9F\r\n\`\r\nend`]));
      expect(m.parts[1]!.filenames).toContain('run.bat');
    }
  });
});

describe('analyze: content outside every part', () => {
  it('a uuencoded file in the preamble', async () => {
    const m = await run(message(['Content-Type: text/plain\r\n\r\nhello'], { preamble: uu }));
    expect(kinds(m)).toContain('bad-encoding 0: file "run.bat" encoded in the preamble or epilogue, which some readers open');
  });

  it('a whole part after the closing boundary', async () => {
    const m = await run(message(['Content-Type: text/plain\r\n\r\nhello'], { epilogue: '--B\r\nContent-Type: application/octet-stream; name=run.bat\r\n\r\n@echo off\r\n' }));
    expect(kinds(m)).toContain('bad-header 0: part header lines in the preamble or epilogue, which some readers open as a part');
  });

  it('an ordinary preamble and epilogue are no damage', async () => {
    const m = await run(message(['Content-Type: text/plain\r\n\r\nhello'], { preamble: 'This is a multi-part message in MIME format.', epilogue: 'Mailing list footer\r\n' }));
    expect(m.malformed).toEqual([]);
  });
});

describe('analyze: nesting', () => {
  it('a multipart inside another with the same boundary', async () => {
    const m = await run(message(['Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--']));
    expect(kinds(m).some((k) => k.startsWith('duplicate-boundary'))).toBe(true);
  });

  it.each(['message/news', 'message/x-rfc822'])('%s is opened as an attached message', async (type) => {
    const inner = 'From: x@example.org\r\nMIME-Version: 1.0\r\nContent-Type: application/x-msdownload; name="evil.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAA==';
    const m = await run(message([`Content-Type: ${type}\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(inner).toString('base64')}`]));
    const exe = m.parts.find((p) => p.filenames.includes('evil.exe'));
    expect(exe).toMatchObject({ carrier: '1', type: 'application/x-msdownload' });
  });
});
