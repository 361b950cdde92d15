import * as iconv from 'iconv-lite';
import { stripHtml } from './html-strip';

/** An encoding that is not ASCII-compatible, as a reader may decode the body. */
interface View {
  encoding: string;
  bom: boolean;
}

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
  for (const [mark, encoding] of BOMS) if (body.subarray(0, mark.length).equals(mark)) return [{ encoding, bom: true }];
  return (LABELS[(charset ?? '').toLowerCase()] ?? []).map((encoding) => ({ encoding, bom: false }));
}

/**
 * Strip the named elements from a decoded text/html body in every way it can be read: in its
 * charset when that is not ASCII-compatible (UTF-16, UTF-32, UTF-7: a tokenizer over the octets
 * would see no tag at all), then octet for octet, which keeps every byte outside the cuts.
 * The body keeps its charset; `removed` counts what went, over all readings.
 */
export function cleanHtmlBody(body: Buffer, charset: string | undefined, elements: readonly string[]): { body: Buffer; removed: number } {
  let removed = 0;
  for (const view of viewsOf(body, charset)) {
    const text = iconv.decode(body, view.encoding);
    const result = stripHtml(text, elements);
    if (result.removed === 0) continue;
    removed += result.removed;
    body = iconv.encode(result.html, view.encoding, { addBOM: view.bom });
  }
  const octets = stripHtml(body.toString('latin1'), elements);
  removed += octets.removed;
  return { body: octets.removed > 0 ? Buffer.from(octets.html, 'latin1') : body, removed };
}
