import { decodeMimeWords, hasUnorderedUtf16, unreadableCharsets } from './mime-words';
import { entityFilenames } from './file-name';

describe('decodeMimeWords: encoded words as mail clients read them', () => {
  it.each([
    ['UTF-7, Q', '=?utf-7?Q?a+AC4-exe?=', 'a.exe'],
    ['UTF-7, B', `=?UTF-7?B?${Buffer.from('a+AC4-exe').toString('base64')}?=`, 'a.exe'],
    ['UTF-7 next to a UTF-8 word (the space between them is not text)', '=?utf-8?Q?invoice?= =?unicode-1-1-utf-7?Q?+AC4-scr?=', 'invoice.scr'],
    ['UTF-8 and ISO-8859-1 words, as libmime reads them', '=?utf-8?B?w6Q=?= =?iso-8859-1?Q?=F6?=', 'äö'],
  ])('%s', (_name, text, expected) => {
    expect(decodeMimeWords(text)).toBe(expected);
  });

  it.each([
    ['an RFC 2047 word', 'attachment; filename="=?utf-7?Q?a+AC4-exe?="'],
    ['RFC 2231 in UTF-7', "attachment; filename*=utf-7''a+AC4-exe"],
  ])('decodes a UTF-7 file name in %s', (_name, disposition) => {
    expect(entityFilenames(undefined, disposition)).toEqual(['a.exe']);
  });
});

describe('UTF-16 without a byte-order mark (trial L)', () => {
  const le = Buffer.from('\u0100\u0100\u0100\u0100\u0100\u0100\u0100\u0100\u0100\u0100\u0100\u0100run.js', 'utf16le');
  const word = (bytes: Buffer): string => `=?utf-16?B?${bytes.toString('base64')}?=`;

  it('is read little-endian, as Python and Windows read it, whatever its zero octets suggest', () => {
    expect(decodeMimeWords(word(le))).toBe('\u0100'.repeat(12) + 'run.js');
    // Split over two words in the middle of a character, the halves are joined first.
    expect(decodeMimeWords(`${word(le.subarray(0, 25))} ${word(le.subarray(25))}`)).toBe('\u0100'.repeat(12) + 'run.js');
    // A byte-order mark says which: big-endian here.
    expect(decodeMimeWords(word(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('run.js', 'utf16le').swap16()])))).toBe('run.js');
  });

  it('is told apart, as an encoded word or an RFC 2231 value, from UTF-16 with a mark', () => {
    expect(hasUnorderedUtf16(`attachment; filename="${word(le)}"`)).toBe(true);
    expect(hasUnorderedUtf16("attachment; filename*=utf-16''%00%01r%00u%00n%00")).toBe(true);
    expect(hasUnorderedUtf16("attachment; filename*=utf-16''%FF%FEr%00u%00n%00")).toBe(false);
    expect(hasUnorderedUtf16('attachment; filename="=?utf-8?B?cnVuLmpz?="')).toBe(false);
  });
});

describe('unreadableCharsets: what libmime reads is readable (trial O)', () => {
  it('takes ISO-2022-JP (encoding-japanese) and libmime\'s aliases (x-mac-roman), and names the others', () => {
    expect(unreadableCharsets('attachment; filename="=?ISO-2022-JP?B?GyRCOGEbKEI=?=.pdf"')).toEqual([]);
    expect(unreadableCharsets("attachment; filename*=iso-2022-jp''%1B%24B8a%1B%28B.pdf")).toEqual([]);
    expect(unreadableCharsets('attachment; filename="=?x-mac-roman?Q?r=8Esum=8E.pdf?="')).toEqual([]);
    expect(unreadableCharsets('attachment; filename="=?cp037?Q?a?="')).toEqual(['cp037']);
  });
});
