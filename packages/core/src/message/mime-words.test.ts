import { decodeMimeWords } from './mime-words';
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
