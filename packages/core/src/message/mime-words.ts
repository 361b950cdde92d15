import * as iconv from 'iconv-lite';
import { Libmime } from 'libmime';

const libmime = new Libmime();

/** Encoded words in UTF-7, which libmime leaves undecoded and Outlook reads. */
const UTF7_WORD = /=\?(?:utf-7|unicode-1-1-utf-7)(?:\*[^?]*)?\?([bq])\?([^?]*)\?=/gi;

function wordBytes(encoding: string, payload: string): Buffer {
  if (encoding.toLowerCase() === 'b') return Buffer.from(payload, 'base64');
  const text = payload.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(text, 'latin1');
}

/**
 * RFC 2047 encoded words decoded (libmime), UTF-7 ones included: a name that reads `a.exe` in
 * the mail client must read so here. Throws what libmime throws.
 */
export function decodeMimeWords(text: string): string {
  const words = text.includes('=?') ? text.replace(UTF7_WORD, (_m, encoding: string, payload: string) => {
    const utf8 = Buffer.from(iconv.decode(wordBytes(encoding, payload), 'utf-7'), 'utf8');
    return `=?utf-8?B?${utf8.toString('base64')}?=`;
  }).replace(NO_CHARSET, '=?us-ascii?') : text;
  return libmime.decodeWords(words);
}

/** An encoded word with no charset (`=??Q?evil.bat?=`): Python's email reads it as ASCII, libmime not at all. */
const NO_CHARSET = /=\?[ \t]*(?:\*[^?]*)?\?(?=[bq]\?[^?]*\?=)/gi;
/** An RFC 2047 encoded word; its charset (with any `*lang`) captured. */
export const ENCODED_WORD = /=\?([^?]*)\?[bq]\?[^?]*\?=/i;
const WORD_CHARSET = new RegExp(ENCODED_WORD.source, 'gi');
const EXTENDED_CHARSET = /\*(?:[ \t]*\d+[ \t]*\*)?[ \t]*=[ \t]*"?([^'";]*)'/g;

const readable = (charset: string): boolean => charset === '' || /^(?:unicode-1-1-)?utf-7$/i.test(charset) || iconv.encodingExists(charset);

/**
 * The charsets of the encoded words and RFC 2231 values in a header value that cannot be read
 * here (EBCDIC's cp037, Python's own unicode_escape): a reader that can (Python's email decodes
 * both) sees a file name that no rule saw.
 */
export function unreadableCharsets(text: string): string[] {
  const found: string[] = [];
  if (text.includes('=?')) for (const m of text.matchAll(WORD_CHARSET)) found.push(m[1]!.split('*')[0]!.trim());
  if (text.includes("'")) for (const m of text.matchAll(EXTENDED_CHARSET)) found.push(m[1]!.trim());
  return [...new Set(found.filter((c) => !readable(c)))];
}
