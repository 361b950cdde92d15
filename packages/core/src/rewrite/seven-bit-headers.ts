import { Headers, type MimeNode } from '@zone-eu/mailsplit';
import { Libmime } from 'libmime';

const libmime = new Libmime();

/** Fields whose parameters carry the non-ASCII text (a file name): RFC 2231 there, not RFC 2047. */
const PARAMETERISED = new Set(['content-type', 'content-disposition']);

/** One header field with raw UTF-8 in it, as 7-bit text: read as UTF-8, encoded, folded. */
function sevenBitField(line: string, key: string): string | undefined {
  const text = Buffer.from(line, 'latin1').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined; // no field: nothing a reader could decode it back from
  const name = text.slice(0, colon);
  const value = text.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, '').trim();
  const encoded = PARAMETERISED.has(key) ? libmime.buildHeaderValue(libmime.parseHeaderValue(value)) : libmime.encodeWords(value, 'Q', 52);
  return libmime.foldLines(`${name}: ${encoded}`, 76);
}

/**
 * A header block with raw 8-bit octets (RFC 6532 UTF-8, only allowed over SMTPUTF8) made 7-bit
 * for a hop without 8BITMIME: a file name in Content-Type or Content-Disposition becomes an
 * RFC 2231 parameter, any other field's words RFC 2047 encoded words. Fields that are ASCII keep
 * their bytes. Address fields get encoded words too, which keeps their display names readable
 * but cannot save a non-ASCII local part: the gateway bounces such a message before this runs.
 */
export function sevenBitHeaderBlock(node: MimeNode): void {
  if (!node.headers) return;
  let block = '';
  for (const h of node.headers.getList()) {
    if (!/[\x80-\xff]/.test(h.line)) {
      block += `${h.line}\r\n`;
      continue;
    }
    const field = sevenBitField(h.line, h.key);
    if (field !== undefined) block += `${field}\r\n`;
  }
  node.headers = new Headers(Buffer.from(`${block}\r\n`, 'latin1'));
}
