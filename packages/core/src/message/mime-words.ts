import * as iconv from 'iconv-lite';
import { Libmime } from 'libmime';
import { normalizeCharset } from 'libmime/lib/charset';

const libmime = new Libmime();

/** Encoded words in UTF-7, which libmime leaves undecoded and Outlook reads. */
const UTF7_WORD = /=\?(?:utf-7|unicode-1-1-utf-7)(?:\*[^?]*)?\?([bq])\?([^?]*)\?=/gi;

function wordBytes(encoding: string, payload: string): Buffer {
  if (encoding.toLowerCase() === 'b') return Buffer.from(payload, 'base64');
  const text = payload.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(text, 'latin1');
}

/** A run of adjacent UTF-16 encoded words (a name split over several may split a character too). */
const UTF16_RUN = /=\?(?:utf-?16|ucs-?2)(?:\*[^?]*)?\?[bq]\?[^?]*\?=(?:[ \t\r\n]*=\?(?:utf-?16|ucs-?2)(?:\*[^?]*)?\?[bq]\?[^?]*\?=)*/gi;
const UTF16_WORD = /=\?[^?]*\?([bq])\?([^?]*)\?=/gi;

/** The octets of a run of UTF-16 encoded words, joined. */
function utf16Bytes(run: string): Buffer {
  return Buffer.concat([...run.matchAll(UTF16_WORD)].map((m) => wordBytes(m[1]!, m[2]!)));
}

const hasBom = (bytes: Buffer): boolean => (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

/**
 * RFC 2047 encoded words decoded (libmime), UTF-7 ones included: a name that reads `a.exe` in
 * the mail client must read so here. UTF-16 without a byte-order mark is read little-endian, as
 * Python, Windows and Thunderbird read it (iconv-lite guesses from the zero octets, and a name
 * can be made to tip its guess). Throws what libmime throws.
 */
export function decodeMimeWords(text: string): string {
  const words = text.includes('=?') ? text.replace(UTF7_WORD, (_m, encoding: string, payload: string) => {
    const utf8 = Buffer.from(iconv.decode(wordBytes(encoding, payload), 'utf-7'), 'utf8');
    return `=?utf-8?B?${utf8.toString('base64')}?=`;
  }).replace(UTF16_RUN, (run) => {
    const bytes = utf16Bytes(run);
    const utf8 = Buffer.from(iconv.decode(bytes, hasBom(bytes) ? 'utf-16' : 'utf-16le'), 'utf8');
    return `=?utf-8?B?${utf8.toString('base64')}?=`;
  }).replace(NO_CHARSET, '=?us-ascii?') : text;
  return libmime.decodeWords(words);
}

/**
 * Whether a header value has UTF-16 without a byte-order mark, as an encoded word or an RFC 2231
 * value: RFC 2781 has a reader take it big-endian, Python and Windows little-endian, so readers
 * may see two different names.
 */
export function hasUnorderedUtf16(text: string): boolean {
  if (text.includes('=?')) for (const run of text.matchAll(UTF16_RUN)) if (!hasBom(utf16Bytes(run[0]))) return true;
  if (!text.includes("'")) return false;
  for (const m of text.matchAll(/\*(?:[ \t]*\d+[ \t]*\*)?[ \t]*=[ \t]*"?(?:utf-?16|ucs-?2)'[^']*'([^";\s]*)/gi)) {
    const bytes = Buffer.from(m[1]!.replace(/%([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    if (!hasBom(bytes)) return true;
  }
  return false;
}

/** An encoded word with no charset (`=??Q?evil.bat?=`): Python's email reads it as ASCII, libmime not at all. */
const NO_CHARSET = /=\?[ \t]*(?:\*[^?]*)?\?(?=[bq]\?[^?]*\?=)/gi;
/** An RFC 2047 encoded word; its charset (with any `*lang`) captured. */
export const ENCODED_WORD = /=\?([^?]*)\?[bq]\?[^?]*\?=/i;
const WORD_CHARSET = new RegExp(ENCODED_WORD.source, 'gi');
const EXTENDED_CHARSET = /\*(?:[ \t]*\d+[ \t]*\*)?[ \t]*=[ \t]*"?([^'";]*)'/g;

// As libmime reads them: its aliases first (x-mac-roman is macintosh), ISO-2022-JP and the other
// Japanese charsets with encoding-japanese, the rest with iconv-lite.
const JAPANESE = /^jis|^iso-?2022-?jp|^eucjp/i;
const readable = (charset: string): boolean =>
  charset === '' || /^(?:unicode-1-1-)?utf-7$/i.test(charset) || JAPANESE.test(charset) || iconv.encodingExists(normalizeCharset(charset));

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
