import { isAscii } from 'node:buffer';
import type { Headers, MimeNode } from '@zone-eu/mailsplit';
import { headersOf } from './first-line';
import { Libmime } from 'libmime';
import { encodePhrases, isAddressHeader } from './address-list';
import { unstructuredValue } from './header-value';

const libmime = new Libmime();

/** Fields whose parameters carry the non-ASCII text (a file name): RFC 2231 there, not RFC 2047. */
const PARAMETERISED = new Set(['content-type', 'content-disposition']);

/** Fields where an encoded word would be read as the value itself (RFC 2047 5): no text to encode. */
const NO_ENCODED_WORDS = /^(message-id|in-reply-to|references|content-id|resent-message-id|return-path|dkim-signature|arc-.*|authentication-results)$/;

/** Trace fields nobody decodes (RFC 6857 3.1 lets a downgrade drop their UTF-8): 8-bit octets become '?'. */
const TRACE = new Set(['received']);

/**
 * One header field with raw UTF-8 in it, as 7-bit text: read as UTF-8, encoded, folded.
 * Undefined when it cannot be: a non-ASCII address (it needs SMTPUTF8, RFC 6532 3.2), or a field
 * whose value is no text (a Message-ID).
 */
function sevenBitField(line: string, key: string): string | undefined {
  if (TRACE.has(key)) return line.replace(/[\x80-\xff]+/g, '?');
  const text = Buffer.from(line, 'latin1').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || NO_ENCODED_WORDS.test(key)) return undefined;
  const name = text.slice(0, colon);
  const value = text.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, '').trim();
  let encoded: string;
  if (PARAMETERISED.has(key)) encoded = libmime.buildHeaderValue(libmime.parseHeaderValue(value));
  else if (isAddressHeader(key)) encoded = encodePhrases(value, (t) => libmime.encodeWord(t, 'Q', 52));
  else encoded = unstructuredValue(value);
  return /^[\x00-\x7f]*$/.test(encoded) ? libmime.foldLines(`${name}: ${encoded}`, 76) : undefined;
}

/** The first field of a header block whose raw 8-bit octets cannot be made 7-bit, if any. */
export function unencodableField(block: Buffer): string | undefined {
  if (isAscii(block)) return undefined;
  for (const h of headersOf(block).getList()) {
    if (/[\x80-\xff]/.test(h.line) && sevenBitField(h.line, h.key) === undefined) return h.line.slice(0, Math.max(0, h.line.indexOf(':'))) || h.key;
  }
  return undefined;
}

/**
 * A header block with raw 8-bit octets (RFC 6532 UTF-8, only allowed over SMTPUTF8) made 7-bit:
 * a file name in Content-Type or Content-Disposition becomes an RFC 2231 parameter, a display
 * name of an address field and the words of any other text field RFC 2047 encoded words, a
 * Received field's non-ASCII written '?'. Fields
 * that are ASCII keep their bytes; a field that cannot be encoded (see unencodableField) has its
 * 8-bit octets made '?', which is why the gateway bounces such a message instead.
 */
export function sevenBitHeaders(headers: Headers): Headers {
  let block = '';
  for (const h of headers.getList()) {
    if (!/[\x80-\xff]/.test(h.line)) block += `${h.line}\r\n`;
    else block += `${sevenBitField(h.line, h.key) ?? h.line.replace(/[\x80-\xff]/g, '?')}\r\n`;
  }
  return headersOf(Buffer.from(`${block}\r\n`, 'latin1'));
}

/** sevenBitHeaders on an entity of the splitter's. */
export function sevenBitHeaderBlock(node: MimeNode): void {
  if (node.headers) node.headers = sevenBitHeaders(node.headers);
}
