import { Libmime } from 'libmime';
import type { HeaderField } from './model';

const libmime = new Libmime();
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Header bytes held as a latin1 string (mailsplit's, the rewriter's) as text to match and show:
 * 8-bit headers are UTF-8 far more often, so read as UTF-8 when the bytes are valid UTF-8.
 */
export function headerText(raw: string): string {
  if (!/[\x80-\xff]/.test(raw)) return raw;
  try {
    return utf8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return raw;
  }
}

/**
 * The field name of a raw header line (its bytes, as mailsplit hands them over), or undefined
 * when the line is no field. The name is read as mailsplit reads it (trimmed), so white space
 * before the colon (`Content-Disposition :`, RFC 5322 4.5.3's obsolete syntax, or a fold there)
 * makes the same field it does: mailsplit gives the part that field's type, disposition and
 * encoding, and its filename must not hide from us behind one space.
 */
function fieldName(raw: string): string | undefined {
  const colon = raw.indexOf(':');
  const name = colon > 0 ? raw.slice(0, colon).trim() : '';
  return FIELD_NAME.test(name) ? name : undefined;
}

/** True when a raw header line starts as a field does: a name, then its colon. */
export function isField(raw: string): boolean {
  return fieldName(raw) !== undefined;
}

/** A header line split into its field, or a reason it is not one. */
export function parseHeaderLine(raw: string): HeaderField | { problem: string } {
  const line = headerText(raw);
  const name = fieldName(raw);
  if (name === undefined) {
    return { problem: `header line is not a field: ${JSON.stringify(line.slice(0, 60))}` };
  }
  const colon = line.indexOf(':');
  const value = line.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '').replace(/^[ \t]+/, '');
  let decoded = value;
  if (value.includes('=?')) {
    try {
      decoded = libmime.decodeWords(value);
    } catch {
      decoded = value;
    }
  }
  return { name, value, decoded };
}
