import Encoding from 'encoding-japanese';
import * as iconv from 'iconv-lite';
import { stripHtml } from './html-strip';

/** A way a reader may decode the body that is not octet for octet, and back. */
interface View {
  decode(body: Buffer): string;
  encode(text: string): Buffer;
}

function iconvView(encoding: string, bom: boolean): View {
  return { decode: (body) => iconv.decode(body, encoding), encode: (text) => iconv.encode(text, encoding, { addBOM: bom }) };
}

/**
 * ISO-2022-JP shifts into two-byte JIS with ESC $ B: `<!--` there is two kanji, so the octets
 * can hide a script in a comment that the reader never sees; an escape back to ASCII (ESC ( B)
 * in the middle of a tag name is dropped by the reader. Japanese readers also detect it
 * with no label, so any body with such escapes is read this way too.
 */
const JIS_VIEW: View = {
  decode: (body) => Encoding.convert(Array.from(body), { to: 'UNICODE', from: 'JIS', type: 'string' }),
  encode: (text) => Buffer.from(Encoding.convert(Encoding.stringToCode(text), { to: 'JIS', from: 'UNICODE' })),
};
// Every escape a reader's decoder takes (WHATWG ISO-2022-JP): into JIS X 0208/0212, and back
// to ASCII or JIS-Roman, which only vanishes: `<scr ESC ( B ipt>` reads as `<script>`.
const JIS_ESCAPE = /\x1b(?:\$[@B(]|\([BJ])/;

const BOMS: [Buffer, string][] = [
  [Buffer.from([0xff, 0xfe, 0x00, 0x00]), 'utf-32le'],
  [Buffer.from([0x00, 0x00, 0xfe, 0xff]), 'utf-32be'],
  [Buffer.from([0xfe, 0xff]), 'utf-16be'],
  [Buffer.from([0xff, 0xfe]), 'utf-16le'],
];

/** Charset labels whose `<` is not the octet 0x3c, and the byte orders a reader may take. */
const LABELS: Record<string, string[]> = {
  'utf-16': ['utf-16le', 'utf-16be'],
  'utf-16le': ['utf-16le'],
  'utf-16be': ['utf-16be'],
  'ucs-2': ['utf-16le', 'utf-16be'],
  unicode: ['utf-16le'],
  'utf-32': ['utf-32le', 'utf-32be'],
  'utf-32le': ['utf-32le'],
  'utf-32be': ['utf-32be'],
  'ucs-4': ['utf-32le', 'utf-32be'],
  'utf-7': ['utf-7'],
  'unicode-1-1-utf-7': ['utf-7'],
};

/**
 * How a mail client may decode the body besides octet for octet: a byte order mark wins over
 * the charset (as in browsers); a label without a byte order may be read either way.
 */
function viewsOf(body: Buffer, charset: string | undefined): View[] {
  for (const [mark, encoding] of BOMS) if (body.subarray(0, mark.length).equals(mark)) return [iconvView(encoding, true)];
  const views = (LABELS[(charset ?? '').toLowerCase()] ?? []).map((encoding) => iconvView(encoding, false));
  // ISO-2022-JP is 7-bit: a body with 8-bit octets is not read as it (nor re-encoded as it).
  const text = body.toString('latin1');
  if (JIS_ESCAPE.test(text) && (/^iso-2022-jp/i.test(charset ?? '') || !/[\x80-\xff]/.test(text))) views.push(JIS_VIEW);
  return views;
}

/**
 * Strip the named elements from a decoded text/html body in every way it can be read: in its
 * charset when that is not ASCII-compatible (UTF-16, UTF-32, UTF-7: a tokenizer over the octets
 * would see no tag at all; ISO-2022-JP: it would see tags that are kanji), then octet for octet, which keeps every byte outside the cuts.
 * The body keeps its charset; `removed` counts what went, over all readings.
 */
export function cleanHtmlBody(body: Buffer, charset: string | undefined, elements: readonly string[]): { body: Buffer; removed: number } {
  let removed = 0;
  for (const view of viewsOf(body, charset)) {
    const result = stripHtml(view.decode(body), elements);
    if (result.removed === 0) continue;
    removed += result.removed;
    body = view.encode(result.html);
  }
  const octets = stripHtml(body.toString('latin1'), elements);
  removed += octets.removed;
  return { body: octets.removed > 0 ? Buffer.from(octets.html, 'latin1') : body, removed };
}
