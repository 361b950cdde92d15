import { Libmime } from 'libmime';
import { headerText } from '../message/header-fields';

const libmime = new Libmime();

const ENCODED_WORD_FIRST = /^=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=(\s|$)/;

/**
 * The Subject value with `prefix` put before it, or undefined when it already starts with the
 * prefix (decoded, case and surrounding space ignored). `value` and the result are binary
 * strings; a subject that is absent is `undefined` and becomes the prefix alone.
 */
export function prefixSubject(value: string | undefined, prefix: string): string | undefined {
  const ascii = /^[\x20-\x7e]*$/.test(prefix);
  if (value === undefined) return ascii ? prefix.trim() : libmime.encodeWord(prefix.trim(), 'Q');
  // Raw 8-bit octets are read as UTF-8 first, or a non-ASCII prefix already there goes unseen.
  let decoded = headerText(value);
  try {
    if (decoded.includes('=?')) decoded = libmime.decodeWords(decoded);
  } catch {
    // an undecodable subject is prefixed as written
  }
  if (decoded.trimStart().toLowerCase().startsWith(prefix.trim().toLowerCase())) return undefined;
  const trailing = /\s*$/.exec(prefix)![0];
  if (ENCODED_WORD_FIRST.test(value)) {
    // White space between two encoded words is not text (RFC 2047 6.2): the prefix's own space
    // must go inside its word, or "[SPAM] " + "=?..?=" would read "[SPAM]...". A plain prefix
    // that ends in space can stay plain (it is what filters grep for).
    return ascii && trailing !== '' ? prefix + value : `${libmime.encodeWord(prefix, 'Q')} ${value}`;
  }
  if (ascii) return prefix + value;
  // An encoded word needs white space after it: the prefix's own trailing space serves.
  return `${libmime.encodeWord(prefix.trimEnd(), 'Q')}${trailing === '' ? ' ' : trailing}${value}`;
}
