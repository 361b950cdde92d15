import type { ByteSource } from '../archive/byte-source';
import { Spool } from '../spool';
import { BerDamage, BerReader, BerTooDeep, type BerElement } from './ber';

/** RFC 5652 content types by the hex of their OID's content octets. */
const CONTENT_TYPES: Record<string, string> = {
  '2a864886f70d010701': 'data',
  '2a864886f70d010702': 'signed-data',
  '2a864886f70d010703': 'enveloped-data',
  '2a864886f70d010705': 'digested-data',
  '2a864886f70d010706': 'encrypted-data',
  '2a864886f70d0109100117': 'authEnveloped-data', // RFC 5083
  '2a864886f70d0109100109': 'compressed-data', // RFC 3274
};

const ENCRYPTED = new Set(['enveloped-data', 'encrypted-data', 'authEnveloped-data']);

/** What a CMS ContentInfo holds, as far as it could be read. */
export type CmsReading =
  /** Signed (or digested, or plain data): its content, none when detached; damage and limits. */
  | { kind: 'content'; type: string; content?: Spool; problem?: string; limit?: string }
  /** Enveloped, authEnveloped or encrypted data: cannot be opened without the key. */
  | { kind: 'encrypted'; type: string }
  /** A content type that is not opened (compressed-data). */
  | { kind: 'unopened'; type: string }
  /** Not readable as a ContentInfo at all. */
  | { kind: 'damaged'; problem: string }
  /** Well formed but nested deeper than the limit before its content was reached. */
  | { kind: 'deep'; limit: string };

export interface CmsLimits {
  /** Bytes of content held in memory before it is spooled to a temp file. */
  memory: number;
  /** Most bytes of content at all. */
  hard: number;
  /** Deepest BER nesting. */
  depth: number;
}

// SEQUENCE, then the OID of a content type: 06 09 2a 86 48 86 f7 0d 01 07 0x or 06 0b ... 09 10 01 xx.
const OID_HEAD = Buffer.from('2a864886f70d01', 'hex');

/** True when these first bytes begin a CMS ContentInfo of a known type (DER or BER). */
export function looksLikeCms(head: Buffer): boolean {
  if (head[0] !== 0x30 || head.length < 4) return false;
  const lengthByte = head[1]!;
  const at = lengthByte === 0x80 || lengthByte < 0x80 ? 2 : lengthByte <= 0x84 ? 2 + (lengthByte & 0x7f) : -1;
  if (at < 0 || head[at] !== 0x06) return false;
  const size = head[at + 1]!;
  const oid = head.subarray(at + 2, at + 2 + size);
  return oid.length === size && oid.subarray(0, OID_HEAD.length).equals(OID_HEAD) && CONTENT_TYPES[oid.toString('hex')] !== undefined;
}

const isUniversal = (el: BerElement | undefined, tag: number): el is BerElement => el !== undefined && el.cls === 0 && el.tag === tag;
const isContext0 = (el: BerElement | undefined): el is BerElement => el !== undefined && el.cls === 2 && el.tag === 0 && el.constructed;

function next(it: Iterator<BerElement>): BerElement | undefined {
  const step = it.next();
  return step.done ? undefined : step.value;
}

function oidOf(r: BerReader, el: BerElement | undefined, what: string): string {
  if (!isUniversal(el, 6) || el.constructed || el.bodyEnd === undefined) throw new BerDamage(`${what} is not an OBJECT IDENTIFIER`);
  return r.bytes(el.body, Math.min(64, el.bodyEnd - el.body)).toString('hex');
}

/** Copy an OCTET STRING's content (primitive, or constructed of segments, X.690 8.7.3) into `out`. */
function copyOctets(r: BerReader, el: BerElement, depth: number, out: Spool): void {
  if (el.cls !== 0 || el.tag !== 4) throw new BerDamage(`content at byte ${el.start} is not an OCTET STRING`);
  if (el.constructed) {
    for (const segment of r.children(el, depth)) copyOctets(r, segment, depth + 1, out);
    return;
  }
  for (let at = el.body; at < el.bodyEnd!; at += 65536) out.write(r.bytes(at, Math.min(65536, el.bodyEnd! - at)));
}

/**
 * Read a CMS ContentInfo (RFC 5652 3) from a decoded body and take out what it carries: the
 * encapsulated content of signed-data and digested-data (RFC 5652 5.2, 7), or a data content.
 * The whole structure is walked, so one cut short or with a length past its end is damaged
 * even when the content itself was whole.
 */
export function readCms(src: ByteSource, limits: CmsLimits): CmsReading {
  const r = new BerReader(src, limits.depth);
  let content: Spool | undefined;
  let type = '';
  try {
    const info = r.element(0, src.length);
    if (!isUniversal(info, 16) || !info.constructed) throw new BerDamage('not a ContentInfo SEQUENCE');
    const fields = r.children(info, 0);
    type = CONTENT_TYPES[oidOf(r, next(fields), 'the content type')] ?? '';
    if (type === '') throw new BerDamage('a content type that is not CMS');
    if (ENCRYPTED.has(type)) return { kind: 'encrypted', type };
    if (type === 'compressed-data') return { kind: 'unopened', type };
    const explicit = next(fields);
    if (!isContext0(explicit)) throw new BerDamage(`${type} without its content`);
    const inner = next(r.children(explicit, 1));
    let octets: BerElement | undefined;
    if (type === 'data') octets = inner;
    else {
      if (!isUniversal(inner, 16) || !inner.constructed) throw new BerDamage(`${type} is not a SEQUENCE`);
      // SignedData and DigestedData: version, digest algorithm(s), then EncapsulatedContentInfo.
      const parts = r.children(inner, 2);
      if (!isUniversal(next(parts), 2)) throw new BerDamage(`${type} without its version`);
      if (next(parts) === undefined) throw new BerDamage(`${type} without its digest algorithms`);
      const encap = next(parts);
      if (!isUniversal(encap, 16) || !encap.constructed) throw new BerDamage(`${type} without its encapsulated content`);
      const encapFields = r.children(encap, 3);
      oidOf(r, next(encapFields), 'the encapsulated content type');
      const eContent = next(encapFields);
      if (eContent !== undefined && !isContext0(eContent)) throw new BerDamage('encapsulated content that is not [0]');
      // Absent: a detached signature, whose content is the other half of multipart/signed.
      octets = eContent && next(r.children(eContent, 4));
      if (eContent && !octets) throw new BerDamage('an empty encapsulated content');
    }
    if (octets) {
      content = new Spool(limits.memory, limits.hard);
      copyOctets(r, octets, 5, content);
    }
    r.end(info, 0);
    if (r.cut) throw new BerDamage(r.cut);
    return content ? { kind: 'content', type, content } : { kind: 'content', type };
  } catch (err) {
    if (!(err instanceof BerDamage) && !(err instanceof BerTooDeep)) {
      content?.dispose();
      throw err;
    }
    const said = err instanceof BerTooDeep ? { limit: err.message } : { problem: err.message };
    // What was read of the content is kept: analysis reads on as far as it goes, as for a cut gzip.
    if (content) return { kind: 'content', type, content, ...said };
    return 'limit' in said ? { kind: 'deep', limit: said.limit } : { kind: 'damaged', problem: said.problem };
  }
}
