/**
 * The 7-bit downgrade of RFC 6152 3: a message with 8-bit octets made fit for a hop that does not
 * offer 8BITMIME. Two streaming passes over the same message (mailsplit Splitter -> transform):
 * the first counts, per entity, its 8-bit octets; the second re-encodes the leaf bodies that have
 * any and relabels the rest, so memory does not grow with the message and an entity's header
 * block goes out already knowing what its body will be.
 */
import { isAscii } from 'node:buffer';
import { PassThrough, Transform, Writable, type Readable, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { Headers, MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import { partPath } from '../message/part-path';
import { isMessageType, partType } from '../message/part-type';
import { Base64Lines } from './base64-lines';
import { CrlfSplitter, SPLITTER_LIMITS } from './crlf';
import { LineBreaker, QuotedPrintableEncoder } from './long-lines';
import { pipeInto } from './pipe-into';
import { sevenBitHeaderBlock } from './seven-bit-headers';

/** What the first pass learns of one entity (in the order the splitter gives them). */
export interface EntityOctets {
  /** Body octets (a leaf's; 0 for a multipart or an opened message). */
  size: number;
  /** Body octets >= 0x80. */
  eight: number;
  /** Its header block has octets >= 0x80. */
  header: boolean;
  /** Its body reads as UTF-8 (its charset when it names none). */
  utf8: boolean;
}

/** A message downgraded to 7 bit; `downgraded` lists the re-encoded parts once it has ended. */
export type SevenBitMessage = Readable & { downgraded: { path: string; encoding: string }[] };

interface Encoder {
  push(chunk: Buffer): Buffer;
  end(): Buffer;
}

const EMPTY = Buffer.alloc(0);

function eightBitOctets(chunk: Buffer): number {
  if (isAscii(chunk)) return 0;
  let n = 0;
  for (const b of chunk) if (b >= 0x80) n++;
  return n;
}

/** The chunk with each octet >= 0x80 replaced by `by`, or (by = -1) left out. */
function withoutEightBit(chunk: Buffer, by: number): Buffer {
  if (isAscii(chunk)) return chunk;
  const out: number[] = [];
  for (const b of chunk) if (b < 0x80) out.push(b);
  else if (by >= 0) out.push(by);
  return Buffer.from(out);
}

/** A quoted-printable body with raw 8-bit octets: each written =XX, as readers take it raw. */
function escapeEightBit(chunk: Buffer): Buffer {
  if (isAscii(chunk)) return chunk;
  let out = '';
  for (const b of chunk) out += b >= 0x80 ? `=${b.toString(16).toUpperCase()}` : String.fromCharCode(b);
  return Buffer.from(out, 'latin1');
}

/** A field set in place, or added at the end of the block (mailsplit's update would put it first). */
function setField(headers: Headers, name: string, value: string): void {
  if (headers.hasHeader(name)) headers.update(name, value);
  else headers.add(name, value, headers.getList().length);
}

/** The first pass: each entity's 8-bit octets. */
export function eightBitEntities(input: Readable): Promise<EntityOctets[]> {
  const entities: EntityOctets[] = [];
  const of = new Map<MimeNode, EntityOctets>();
  const decoders = new Map<EntityOctets, TextDecoder>();
  /** Whether the body read so far is UTF-8 (a character cut between chunks waits for the next). */
  const readsAsUtf8 = (e: EntityOctets, chunk: Buffer): boolean => {
    let decoder = decoders.get(e);
    if (!decoder) decoders.set(e, (decoder = new TextDecoder('utf-8', { fatal: true })));
    try {
      decoder.decode(chunk, { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  return new Promise((resolve, reject) => {
    let finished = false;
    const count = new Writable({
      objectMode: true,
      write(obj: SplitterChunk, _enc, done) {
        if (obj.type === 'node') {
          const e = { size: 0, eight: 0, header: !isAscii(obj.getHeaders()), utf8: true };
          entities.push(e);
          of.set(obj, e);
        } else if (obj.type === 'body') {
          const e = of.get(obj.node);
          if (e) {
            e.size += obj.value.length;
            const eight = eightBitOctets(obj.value);
            e.eight += eight;
            if (e.utf8 && (eight > 0 || decoders.has(e))) e.utf8 = readsAsUtf8(e, obj.value);
          }
        }
        done();
      },
    });
    count.once('finish', () => {
      finished = true;
      for (const [e, decoder] of decoders) {
        try {
          decoder.decode(); // a character the body left unfinished
        } catch {
          e.utf8 = false;
        }
      }
      resolve(entities);
    });
    count.once('error', reject);
    count.once('close', () => finished || reject(new Error('the message ended before it was read')));
    pipeInto(pipeInto(input, new CrlfSplitter(SPLITTER_LIMITS) as unknown as Transform), count);
  });
}

/** Types readers open as a message: an encoding would hide it, so only base64 is used (as rewrite does). */
const opensAsMessage = (type: string): boolean => isMessageType(type) && type !== 'message/global';

/**
 * How a leaf body with 8-bit octets goes out: text as quoted-printable, unless more than about
 * one octet in six is 8-bit (UTF-8 Cyrillic, Greek, CJK: quoted-printable would grow it past
 * base64's third); anything else as base64. A body that claims base64 or quoted-printable and
 * still has raw 8-bit octets keeps its encoding: base64 readers skip them (dropped), and
 * quoted-printable readers take them as they are (written =XX).
 */
function encoderFor(node: MimeNode, cte: string, e: EntityOctets | undefined): { encoding: string; encoder: Encoder } {
  if (cte === 'base64') return { encoding: cte, encoder: { push: (c) => withoutEightBit(c, -1), end: () => EMPTY } };
  if (cte === 'quoted-printable') {
    const lines = new LineBreaker('quoted-printable');
    return { encoding: cte, encoder: { push: (c) => lines.push(escapeEightBit(c)), end: () => EMPTY } };
  }
  const type = partType(node);
  const text = type.startsWith('text/') || (type.startsWith('message/') && !opensAsMessage(type));
  if (text && e !== undefined && e.eight * 6 <= e.size) return { encoding: 'quoted-printable', encoder: new QuotedPrintableEncoder() };
  return { encoding: 'base64', encoder: new Base64Lines() };
}

/**
 * The second pass: `input` (the same message again) with each leaf body that has 8-bit octets
 * re-encoded and its Content-Transfer-Encoding set to match, every other 8bit or binary label
 * (a multipart's, an opened message/rfc822's, a leaf that had none) made 7bit, header blocks
 * with raw 8-bit octets encoded (seven-bit-headers) and such octets in a preamble or epilogue,
 * which no reader shows, replaced by '?'. Entities without 8-bit octets keep their bytes.
 */
export function sevenBit(input: Readable, entities: readonly EntityOctets[]): SevenBitMessage {
  const downgraded: SevenBitMessage['downgraded'] = [];
  let index = 0;
  let open: { node: MimeNode; encoder: Encoder } | undefined;
  let lastByte = 0x0a;
  const put = (stream: Transform, b: Buffer): void => {
    if (b.length === 0) return;
    stream.push(b);
    lastByte = b[b.length - 1]!;
  };
  const endOpen = (stream: Transform): void => {
    if (!open) return;
    put(stream, open.encoder.end());
    open = undefined;
  };
  const prepare = (node: MimeNode, e: EntityOctets | undefined): Buffer => {
    if (e?.header ?? !isAscii(node.getHeaders())) sevenBitHeaderBlock(node);
    const cte = (node.encoding || '').toLowerCase();
    const leaf = !node.multipart && node.messageNode !== true;
    if (leaf && (e === undefined || e.eight > 0)) {
      const { encoding, encoder } = encoderFor(node, cte, e);
      if (node.headers && encoding !== cte) {
        // Without MIME-Version readers ignore the new label (RFC 2045 4), and without a
        // Content-Type take the text for US-ASCII: UTF-8 where it reads as such, else unknown-8bit
        // (RFC 1428), as the rewriter does for a message it re-encodes.
        if (node.root && !node.headers.hasHeader('MIME-Version')) setField(node.headers, 'MIME-Version', '1.0');
        if (node.root && !node.headers.hasHeader('Content-Type') && e) setField(node.headers, 'Content-Type', `text/plain; charset=${e.utf8 ? 'utf-8' : 'unknown-8bit'}`);
        setField(node.headers, 'Content-Transfer-Encoding', encoding);
      }
      open = { node, encoder };
      downgraded.push({ path: partPath(node), encoding });
    } else if (node.headers && (cte === '8bit' || cte === 'binary')) {
      setField(node.headers, 'Content-Transfer-Encoding', '7bit');
    }
    return node.getHeaders();
  };
  const edit = new Transform({
    readableObjectMode: false,
    writableObjectMode: true,
    transform(obj: SplitterChunk, _enc, done: TransformCallback) {
      if (obj.type === 'body' && open?.node === obj.node) {
        put(this, open.encoder.push(obj.value));
        return done();
      }
      endOpen(this);
      if (obj.type === 'node') put(this, prepare(obj, entities[index++]));
      else if (obj.type === 'data') put(this, withoutEightBit(obj.value, 0x3f));
      // A body the first pass found 7-bit has 8-bit octets now: it was not the same message.
      else if (!isAscii(obj.value)) return done(new Error('the message changed between the two passes of the 7-bit downgrade'));
      else put(this, obj.value);
      done();
    },
    flush(done: TransformCallback) {
      endOpen(this);
      if (downgraded.length > 0 && lastByte !== 0x0a) put(this, Buffer.from('\r\n'));
      done();
    },
  });
  pipeInto(pipeInto(input, new CrlfSplitter(SPLITTER_LIMITS) as unknown as Transform), edit);
  return Object.assign(edit, { downgraded }) as unknown as SevenBitMessage;
}

/**
 * A message made 7-bit for a hop without 8BITMIME: `open` is called twice (a count, then the
 * downgrade) and must give the same bytes both times. A message with no 8-bit octets comes out
 * as it went in.
 */
export function downgradeTo7bit(open: () => Readable): SevenBitMessage {
  const downgraded: SevenBitMessage['downgraded'] = [];
  const out = Object.assign(new PassThrough(), { downgraded });
  let current: Readable | undefined = open();
  out.once('close', () => current?.destroy());
  eightBitEntities(current).then(
    (entities) => {
      if (out.destroyed) return;
      const second = sevenBit(open(), entities);
      current = second; // destroying it closes the source it reads
      second.on('error', (err) => out.destroy(err));
      second.on('end', () => downgraded.push(...second.downgraded));
      second.pipe(out);
    },
    (err: Error) => out.destroy(err),
  );
  return out;
}
