import { Libmime } from 'libmime';
import type { Headers } from '@zone-eu/mailsplit';

const libmime = new Libmime();

/**
 * A field of a header block: its name as written and its unfolded value, both as binary
 * strings (one character per octet, as mailsplit reads them). `line` is the field as it came,
 * folding included, until an edit makes a new value.
 */
export interface Field {
  key: string;
  name: string;
  value: string;
  line?: string;
}

function unfold(raw: string): string {
  const value = raw.includes('\n') ? raw.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '') : raw;
  let start = 0;
  while (value[start] === ' ' || value[start] === '\t') start++;
  return start > 0 ? value.slice(start) : value;
}

/** The fields of a header block in order. */
export function fieldsOf(headers: Headers): Field[] {
  return headers.getList().map((h) => {
    const colon = h.line.indexOf(':');
    if (colon <= 0) return { key: h.key, name: h.line, value: '', line: h.line };
    // `Received :` (white space before the colon) is a Received field all the same (RFC 5322 4.5.3).
    return { key: h.key, name: h.line.slice(0, colon).trimEnd(), value: unfold(h.line.slice(colon + 1)), line: h.line };
  });
}

/** A field with a new value: it is folded afresh when the block is built. */
export function withValue(f: Field, value: string): Field {
  return { key: f.key, name: f.name, value };
}

/** Text from a policy (any Unicode) as a binary string of its UTF-8 octets, to sit in a field. */
export function octets(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * Policy text as the value of a field that is not an address field: as it is when ASCII, else in
 * encoded words (RFC 2047): a header is ASCII (RFC 5322 2.2), and an 8-bit one needs SMTPUTF8 at the
 * next hop, which a message that came as 7-bit is not sent with.
 */
export function unstructuredValue(text: string): string {
  return /^[\x20-\x7e\t]*$/.test(text) ? text : libmime.encodeWords(text, 'Q', 52);
}

/**
 * The header block of `fields`, blank line included: untouched fields keep their bytes and
 * folding, new values are folded at 76 columns. Line breaks inside a value are dropped, so a
 * value can never start a field of its own.
 */
export function buildHeaderBlock(fields: readonly Field[]): Buffer {
  // An empty message reads as one empty "field": written out, it would end the block early.
  const lines = fields.filter((f) => f.line !== '').map((f) => {
    if (f.line !== undefined) return f.line;
    const value = f.value.includes('\r') || f.value.includes('\n') ? f.value.replace(/[\r\n]/g, '') : f.value;
    const line = `${f.name}: ${value}`;
    return line.length < 76 ? line : libmime.foldLines(line, 76, false).replace(/\r?\n$/, '');
  });
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}
