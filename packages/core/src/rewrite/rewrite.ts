import { isUtf8 } from 'node:buffer';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { Headers, type MimeNode, type SplitterChunk } from '@zone-eu/mailsplit';
import { partReplacements, type Effect, type PartRef } from '../engine/effect';
import { isField } from '../message/header-fields';
import { closeMultiparts } from '../message/multipart-close';
import { closeLeftOpen } from './left-open';
import { partPath } from '../message/part-path';
import { isMessageType, partType } from '../message/part-type';
import { isApplied, partChange, type RewriteChange } from './change';
import { editHeaders, isHeaderEffect } from './header-edits';
import { foldLongHeaderLines } from './header-lines';
import { headersOnly, rewriteHeadersOnly } from './header-only';
import { CrlfSplitter, SPLITTER_LIMITS } from './crlf';
import { headersOf } from './first-line';
import { opensPart } from './delimiter-lines';
import { pipeInto } from './pipe-into';
import { guarded } from './guarded';
import { stripHtmlInAttached } from './attached-message';
import { cleanHtmlBody } from './html-part';
import { decodeBody, encodeBody } from './part-body';
import { LineBreaker, QuotedPrintableEncoder, scanLines } from './long-lines';

export interface RewriteOptions {
  /**
   * Key of the HMAC that masquerades Message-IDs; keep it secret and stable. Needed when an
   * effect masquerades them: with a key anyone knows, anyone could test guesses of the ids.
   */
  secret?: string;
  /**
   * The caller has checked that every line of the input ends in CRLF and none is over 998 octets
   * (the gateway's strict DATA reader refuses other mail), so header-only effects may copy the
   * body without parsing it, and the input need not be held to be given back unchanged.
   * Otherwise every changed message is parsed, so that long lines can be re-encoded per part,
   * and held (with its input) until an effect changes it, so that one none changes leaves as it came.
   */
  linesWithinLimit?: boolean;
}

/** The rewritten message stream; `changes` is complete when the stream ends. */
export type RewrittenMessage = Readable & { changes: RewriteChange[] };

/** How much of a 7bit/8bit body is held while looking for a line over 998 octets. */
const HOLD = 1024 * 1024;
/** How much input is held, with what was made of it, while no effect has changed anything yet. */
const UNCHANGED_HOLD = 1024 * 1024;

interface Replacement {
  rule: string;
  part: PartRef;
  /** A strip's notice as it goes out: CRLF line ends, and whether it can go as 7bit text. */
  notice?: { text: string; plain: boolean };
}

const changesMessage = (e: Effect): boolean => isHeaderEffect(e) || e.type === 'stripPart' || e.type === 'dropPart' || e.type === 'stripHtml';

function isWithinAny(node: MimeNode, ancestors: ReadonlySet<MimeNode>): boolean {
  for (let n: MimeNode | false = node.parentNode; n; n = n.parentNode) if (ancestors.has(n)) return true;
  return false;
}

/**
 * A notice goes out as 7bit text when it is printable ASCII, no line of it could be read as a
 * boundary and none is over 998 octets (a long file name can make one); otherwise in base64,
 * where nothing in it can end the part.
 */
function plainNotice(text: string): boolean {
  return /^[\x20-\x7e\r\n\t]*$/.test(text) && !/(^|\n)--/.test(text) && !(text.length > 998 && /[^\r\n]{999}/.test(text));
}

/** True for the header block of a message: the top level's, or an attached message's own. */
const isMessageHead = (node: MimeNode): boolean => !node.parentNode || node.parentNode.messageNode === true;

/**
 * The part's header block made that of a plain-text notice: its Content-* fields replaced. A
 * message's own block also gets MIME-Version when it has none: the notice's Content-* fields
 * make it MIME, and without MIME-Version a reader need not read them (RFC 2045 4) and shows the
 * base64 of a non-ASCII notice as it is.
 */
function noticeHeaders(node: MimeNode, ascii: boolean): void {
  if (!node.headers) return;
  // The other fields keep their bytes; written straight, as this runs for every part stripped.
  // A line that is no field (the body of a part whose blank line is missing) goes.
  let block = '';
  for (const h of node.headers.getList()) if (!h.key.startsWith('content-') && isField(h.line)) block += `${h.line}\r\n`;
  if (isMessageHead(node) && !node.headers.hasHeader('mime-version')) block += 'MIME-Version: 1.0\r\n';
  block += `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: ${ascii ? '7bit' : 'base64'}\r\nContent-Disposition: inline\r\n\r\n`;
  node.headers = headersOf(Buffer.from(block, 'latin1'));
  node.multipart = false;
}

/**
 * Set a field the rewriter writes: in place of the field of that name, else after the last field.
 * (mailsplit's update() and add() without an index put a new field first, above From.)
 */
function setField(headers: Headers, name: string, value: string): void {
  if (headers.hasHeader(name)) headers.update(name, value);
  else headers.add(name, value, headers.getList().length);
}

/**
 * A message without MIME whose body is made quoted-printable becomes a MIME message: without
 * MIME-Version a reader takes the body as plain text (RFC 2045 4) and shows `=C3=A9`, and without
 * a Content-Type it decodes the octets as US-ASCII. The charset is UTF-8 (US-ASCII's superset)
 * where the octets read so far are UTF-8, else unknown-8bit (RFC 1428): what they are cannot be known.
 */
function declareMime(root: MimeNode, held: Buffer[]): void {
  if (!root.headers) return;
  if (!root.headers.get('content-type').length) {
    const octets = Buffer.concat(held);
    // (the octets held may end inside a character)
    const utf8 = [0, 1, 2, 3].some((cut) => isUtf8(octets.subarray(0, octets.length - cut)));
    const charset = utf8 ? 'utf-8' : 'unknown-8bit';
    setField(root.headers, 'Content-Type', `text/plain; charset=${charset}`);
  }
  if (!root.headers.get('mime-version').length) setField(root.headers, 'MIME-Version', '1.0');
}

/** The HMAC key: the caller's; none is needed where no effect masquerades a Message-ID. */
function secretFor(effects: readonly Effect[], options: RewriteOptions): string {
  if (options.secret) return options.secret;
  if (effects.some((e) => e.type === 'masquerade' && e.messageId)) {
    throw new Error('rewrite: masquerading Message-IDs needs options.secret, a long random string kept stable (the gateway keeps one in spool/secret): a key anyone knows lets anyone test guesses of the internal ids');
  }
  return '';
}

/**
 * Apply a decision's message effects in one streaming pass (mailsplit Splitter -> edits ->
 * Joiner): header edits on the top-level header block, parts replaced by a notice or dropped,
 * HTML elements stripped. When no effect changes anything (none given, a subject already
 * prefixed, nothing to strip) the output is the input, byte for byte, and `changes` is empty.
 * Envelope effects (sender/recipient rewrites, bcc, route, log) are the host's to apply.
 */
export function rewrite(original: Readable, effects: readonly Effect[], options: RewriteOptions = {}): RewrittenMessage {
  const secret = secretFor(effects, options);
  const changes: RewriteChange[] = [];
  const headerEffects = effects.filter(isHeaderEffect);
  // Envelope effects (a log line, a bcc) change no byte: such a message leaves as it came.
  if (!effects.some(changesMessage) || (options.linesWithinLimit && headersOnly(effects))) {
    // Nothing below the top-level header block changes: copy the body instead of re-parsing it.
    const fast = rewriteHeadersOnly(original, headerEffects, secret, changes) as RewrittenMessage;
    fast.changes = changes;
    return fast;
  }
  const replace = new Map<string, Replacement>();
  for (const [carrier, e] of partReplacements(effects)) {
    const r: Replacement = { rule: e.rule, part: e.part };
    if (e.type === 'stripPart') {
      const text = e.notice.includes('\n') ? e.notice.replace(/\r?\n/g, '\r\n') : e.notice;
      r.notice = { text, plain: plainNotice(text) };
    }
    replace.set(carrier, r);
  }
  const htmlEffects = effects.filter((e): e is Extract<Effect, { type: 'stripHtml' }> => e.type === 'stripHtml');

  let rootSeen = false;
  const removed = new Set<MimeNode>(); // replaced or dropped: their content and descendants go
  const dropped = new Set<MimeNode>();
  let held: SplitterChunk[] = [];
  const html = new Map<MimeNode, { buffers: Buffer[]; encoding: string; rule: string; elements: string[] }>();

  // What goes out is held, and the input kept beside it, until an effect has changed something:
  // a message the effects leave as it is (a subject already prefixed, HTML with nothing to
  // remove) leaves byte for byte, its long lines and bare line ends included. Up to UNCHANGED_HOLD
  // of input: past it, what was made of it goes on (memory must not grow with the message).
  // Input whose lines are vouched for (CRLF, within 998) comes out as it went in until a change,
  // so nothing is held.
  let applied = false;
  let looked = 0; // changes already looked at for one an effect made
  let flowing = options.linesWithinLimit === true; // nothing (more) to hold: output goes straight on
  let inputSize = 0;
  let overHeld = false; // went on unchanged past UNCHANGED_HOLD: what goes out is what was made
  const input: Buffer[] = [];
  const pending: Buffer[] = [];
  const isAppliedYet = (): boolean => {
    for (; !applied && looked < changes.length; looked++) applied = isApplied(changes[looked]!);
    return applied;
  };
  /** Whether the hold is over (an effect changed something, or too much input came): what was held goes on. */
  const flows = (stream: Transform): boolean => {
    if (flowing) return true;
    if (!isAppliedYet() && inputSize <= UNCHANGED_HOLD) return false;
    overHeld = !applied;
    flowing = true;
    splitter.input = undefined;
    for (const p of pending) stream.push(p);
    pending.length = 0;
    input.length = 0;
    return true;
  };
  const send = (stream: Transform, data: Buffer): void => {
    if (flows(stream)) stream.push(data);
    else pending.push(data);
  };
  /** The end: what was held goes out, or, when no effect changed anything, the input as it came. */
  const settle = (stream: Transform): void => {
    if (overHeld) return;
    for (const b of isAppliedYet() ? pending : input) stream.push(b);
    if (!applied) changes.length = 0;
  };

  const splitter = new CrlfSplitter(SPLITTER_LIMITS);
  if (!flowing) {
    splitter.input = (chunk) => {
      // Checked as input comes too: a dropped part, or one held whole (HTML), sends nothing.
      if (flows(edit)) return;
      input.push(chunk);
      inputSize += chunk.length;
    };
  }

  let lastByte = 0x0a;
  const partEdits = replace.size > 0;
  // The edit stream is also the joiner: what it pushes are the message's bytes.
  const unclosed = new Map<MimeNode, string>(); // multiparts sent whose closing line has not been
  const parents = new Set<MimeNode>(); // multiparts sent with at least one child
  const emit = (stream: Transform, obj: SplitterChunk): void => {
    if (obj.type === 'node') {
      if (obj.multipart && obj._boundary) unclosed.set(obj, `--${obj._boundary.toString('latin1')}--`);
      if (obj.parentNode) parents.add(obj.parentNode);
      lastByte = 0x0a;
      const head = obj.getHeaders();
      const folded = foldLongHeaderLines(head);
      if (folded) changes.push({ kind: 'header-refolded', path: partPath(obj), names: folded.names });
      send(stream, folded?.block ?? head);
    } else if (obj.value.length > 0) {
      // mailsplit sometimes leaves the line break before a boundary in the part's body; when we
      // replaced or dropped that part, the boundary line needs one of its own.
      const bare = obj.value[0] !== 0x0d && obj.value[0] !== 0x0a;
      const breakSent = partEdits && obj.type === 'data' && lastByte !== 0x0a && bare;
      if (breakSent) send(stream, Buffer.from('\r\n'));
      let value = obj.type === 'data' && dropped.size > 0 ? withoutEmptyMultipart(obj.value) : obj.value;
      if (obj.type === 'data' && unclosed.size > 1 && mayChange()) value = closeInner(value, breakSent || lastByte === 0x0a);
      if (obj.type === 'data' && scanLines(value, lastByte === 0x0a ? 0 : 1).long) value = foldData(obj.node, value);
      lastByte = value[value.length - 1]!;
      send(stream, value);
      if (obj.type === 'data' && unclosed.size > 0 && closesAny(value)) closeMultiparts(obj.node, value, unclosed);
    }
  };
  /** A preamble or epilogue line over 998 octets, folded: readers skip both, and a boundary line is never that long. */
  const foldData = (node: MimeNode, data: Buffer): Buffer => {
    const path = partPath(node);
    if (!changes.some((c) => c.kind === 'lines-broken' && c.path === path && c.style === 'fold')) changes.push({ kind: 'lines-broken', path, style: 'fold' });
    return new LineBreaker('fold').push(data);
  };
  // Bytes already sent as they came (input vouched for, nothing changed yet) must stay the input's.
  const mayChange = (): boolean => !flowing || overHeld || isAppliedYet();
  /** What closes a multipart left open; if all it had was dropped, it still keeps one part. */
  const closingOf = (node: MimeNode): string => `${parents.has(node) ? '' : emptyPart(unclosed.get(node)!)}${unclosed.get(node)!}`;
  /** An inner multipart left open is closed before the outer delimiter line that ends it. */
  const closeInner = (data: Buffer, atLineStart: boolean): Buffer => {
    const { data: closedData, closed } = closeLeftOpen(data, unclosed, atLineStart, closingOf);
    for (const node of closed) changes.push({ kind: 'multipart-closed', path: partPath(node) });
    return closedData;
  };
  const closesAny = (data: Buffer): boolean => {
    for (const closing of unclosed.values()) if (data.includes(closing, 0, 'latin1')) return true;
    return false;
  };
  /** An empty text/plain part, for a multipart whose every child was dropped (closing: its `--b--` line). */
  const emptyPart = (closing: string): string => `${closing.slice(0, -2)}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\r\n`;
  /**
   * A multipart must keep one part (RFC 2046): when every child was dropped, an empty text/plain
   * part goes before its closing line.
   */
  const withoutEmptyMultipart = (data: Buffer): Buffer => {
    for (const [node, closing] of unclosed) {
      if (parents.has(node)) continue;
      const text = data.toString('latin1');
      const at = text.indexOf(closing);
      if (at < 0 || (at > 0 && text[at - 1] !== '\n')) continue;
      const before = at > 0 || lastByte === 0x0a ? '' : '\r\n';
      parents.add(node);
      return Buffer.concat([data.subarray(0, at), Buffer.from(before + emptyPart(closing), 'latin1'), data.subarray(at)]);
    }
    return data;
  };

  /** The end of a changed message: multiparts left open are closed, and the last line ends. */
  const finish = (stream: Transform): void => {
    if (splitter.lines.changed) changes.push({ kind: 'line-ends-normalized' });
    if (!isAppliedYet() && !overHeld) return; // effects that changed nothing leave the bytes alone (settle)
    for (const node of [...unclosed.keys()].reverse()) {
      send(stream, Buffer.from(`${lastByte === 0x0a ? '' : '\r\n'}${closingOf(node)}\r\n`));
      lastByte = 0x0a;
      changes.push({ kind: 'multipart-closed', path: partPath(node) });
    }
    if (lastByte !== 0x0a) send(stream, Buffer.from('\r\n'));
  };

  // Leaf bodies are watched for lines over 998 octets. Encoded ones are broken as they stream;
  // a 7bit/8bit one is held (node and body, up to HOLD bytes) until a long line shows it must
  // become quoted-printable, or the part ends, or the hold is full and it goes out as it is.
  const breakers = new Map<MimeNode, LineBreaker | QuotedPrintableEncoder>();
  let watching: { node: MimeNode; chunks: Buffer[]; size: number; lineLength: number } | undefined;
  const release = (stream: Transform): void => {
    if (!watching) return;
    const w = watching;
    watching = undefined;
    emit(stream, w.node);
    for (const value of w.chunks) emit(stream, { type: 'body', node: w.node, value });
  };
  const watchBody = (stream: Transform, node: MimeNode, value: Buffer): boolean => {
    const b = breakers.get(node);
    if (b) {
      emit(stream, { type: 'body', node, value: b.push(value) });
      return true;
    }
    if (!watching || watching.node !== node) return false;
    const scan = scanLines(value, watching.lineLength);
    watching.chunks.push(value);
    watching.size += value.length;
    watching.lineLength = scan.lineLength;
    if (scan.long) {
      const w = watching;
      watching = undefined;
      const qp = new QuotedPrintableEncoder();
      breakers.set(node, qp);
      if (w.node.headers) setField(w.node.headers, 'Content-Transfer-Encoding', 'quoted-printable');
      if (isMessageHead(w.node)) declareMime(w.node, w.chunks);
      changes.push({ kind: 'part-reencoded', path: partPath(node), encoding: 'quoted-printable' });
      emit(stream, w.node);
      emit(stream, { type: 'body', node, value: qp.push(Buffer.concat(w.chunks)) });
    } else if (watching.size > HOLD) {
      // Too big to hold: it goes out as it is, and a long line after this point is folded.
      const lineLength = watching.lineLength;
      release(stream);
      breakers.set(node, new LineBreaker('fold', lineLength));
    }
    return true;
  };
  const endBodies = (stream: Transform): void => {
    release(stream);
    for (const [node, b] of breakers) {
      if (b instanceof QuotedPrintableEncoder) emit(stream, { type: 'body', node, value: b.end() });
      else if (b.broke) changes.push({ kind: 'lines-broken', path: partPath(node), style: b.style });
    }
    breakers.clear();
  };

  /** The held HTML body, stripped and re-encoded, goes out before anything that follows it. */
  const flushHtml = (stream: Transform): void => {
    for (const [node, p] of html) {
      html.delete(node);
      const result = cleanHtmlBody(decodeBody(Buffer.concat(p.buffers), p.encoding), node.charset || undefined, p.elements);
      if (result.removed > 0) changes.push({ kind: 'html-stripped', rule: p.rule, path: partPath(node), removed: result.removed });
      let out = result.removed > 0 ? encodeBody(result.body, p.encoding) : Buffer.concat(p.buffers);
      const encoding = p.encoding.toLowerCase();
      // A cut can make a line the delimiter (`<script></script>--b`); quoted-printable has none.
      if (scanLines(out, 0).long || (result.removed > 0 && opensPart(out, node))) {
        if (encoding === 'base64' || encoding === 'quoted-printable') {
          out = new LineBreaker(encoding).push(out);
          changes.push({ kind: 'lines-broken', path: partPath(node), style: encoding });
        } else {
          const qp = new QuotedPrintableEncoder();
          out = Buffer.concat([qp.push(out), qp.end()]);
          if (node.headers) setField(node.headers, 'Content-Transfer-Encoding', 'quoted-printable');
          changes.push({ kind: 'part-reencoded', path: partPath(node), encoding: 'quoted-printable' });
        }
      }
      emit(stream, node);
      emit(stream, { type: 'body', node, value: out });
    }
  };

  // An attached message the splitter does not open is held while stripHtml runs inside it.
  let attached: { node: MimeNode; buffers: Buffer[] } | undefined;
  const releaseAttached = async (stream: Transform): Promise<void> => {
    if (!attached) return;
    const { node, buffers } = attached;
    attached = undefined;
    const raw = Buffer.concat(buffers);
    const encoding = (node.encoding || '7bit').toLowerCase();
    const result = await stripHtmlInAttached(rewrite, raw, encoding, htmlEffects, partPath(node));
    if (result) changes.push(...result.changes);
    let value = result?.body ?? raw;
    if (result && encoding !== 'base64' && opensPart(value, node)) {
      // A delimiter of ours that stripHtml left inside: base64 holds none (the type allows no
      // quoted-printable, RFC 2046 5.2.1, but readers open a base64 message as they open mailsplit's).
      value = encodeBody(decodeBody(value, encoding), 'base64').subarray(0, -2);
      if (node.headers) setField(node.headers, 'Content-Transfer-Encoding', 'base64');
      changes.push({ kind: 'part-reencoded', path: partPath(node), encoding: 'base64' });
    } else if (scanLines(value, 0).long) {
      const style = encoding === 'base64' || encoding === 'quoted-printable' ? encoding : 'fold';
      value = new LineBreaker(style).push(value);
      changes.push({ kind: 'lines-broken', path: partPath(node), style });
    }
    emit(stream, node);
    emit(stream, { type: 'body', node, value });
  };

  const edit = new Transform({
    readableObjectMode: false,
    writableObjectMode: true,
    transform(obj: SplitterChunk, _enc, done: TransformCallback) {
      if (attached && !(obj.type === 'body' && obj.node === attached.node)) {
        releaseAttached(this).then(() => guarded(() => step.call(this, obj, done), done), done);
        return;
      }
      guarded(() => step.call(this, obj, done), done);
    },
    flush(done: TransformCallback) {
      const end = (): void => guarded(() => {
        flushHtml(this);
        endBodies(this);
        for (const d of held) emit(this, d);
        finish(this);
        settle(this);
        done();
      }, done);
      // Most messages hold no attached message: they end without a promise and a microtask.
      if (!attached) return end();
      releaseAttached(this).then(end, done);
    },
  });

  function step(this: Transform, obj: SplitterChunk, done: TransformCallback): void {
    // A boundary line arrives before the node it opens: hold it until we know the node's fate.
    if (obj.type === 'data' && obj.node.partNr === false) {
      held.push(obj);
      return done();
    }
    if (obj.type === 'node') {
      flushHtml(this);
      endBodies(this);
      const release = held;
      held = [];
      const inRemoved = removed.size > 0 && isWithinAny(obj, removed);
      if (inRemoved) return done();
      if (!rootSeen) {
        rootSeen = true;
        const block = obj.headers && headerEffects.length > 0 ? editHeaders(obj.headers, headerEffects, secret, changes) : undefined;
        if (block) obj.headers = headersOf(block);
      }
      const path = partPath(obj);
      const r = replace.get(path);
      // Only a child of a multipart can go: a message (or attached message) whose body is the
      // dropped part keeps its header block and an empty text body.
      const inMultipart = Boolean(obj.parentNode && obj.parentNode.multipart);
      if (r && r.notice === undefined && inMultipart) {
        removed.add(obj);
        dropped.add(obj);
        changes.push(partChange('part-dropped', r.rule, r.part, path, obj));
        return done(); // its leading boundary goes with it
      }
      for (const d of release) emit(this, d);
      if (r && r.notice === undefined) {
        removed.add(obj);
        changes.push(partChange('part-dropped', r.rule, r.part, path, obj));
        noticeHeaders(obj, true);
        emit(this, obj);
        return done();
      }
      if (r && r.notice !== undefined) {
        removed.add(obj);
        changes.push(partChange('part-stripped', r.rule, r.part, path, obj));
        noticeHeaders(obj, r.notice.plain);
        emit(this, obj);
        // The line break before the next boundary belongs to that boundary: the body ends bare.
        const { text, plain } = r.notice;
        const body = plain ? Buffer.from(text) : encodeBody(Buffer.from(text, 'utf8'), 'base64').subarray(0, -2);
        emit(this, { type: 'body', node: obj, value: body });
        return done();
      }
      const attachedMessage = !obj.multipart && !obj.messageNode && isMessageType(partType(obj));
      if (htmlEffects.length > 0 && attachedMessage) {
        attached = { node: obj, buffers: [] };
        return done();
      }
      if (htmlEffects.length > 0 && obj.contentType === 'text/html' && !obj.multipart) {
        // Held with its header block: a stripped body with long lines may change its encoding.
        html.set(obj, { buffers: [], encoding: obj.encoding || '7bit', rule: htmlEffects[0]!.rule, elements: htmlEffects.flatMap((h) => h.elements) });
        return done();
      } else if (attachedMessage) {
        // An attached message cannot become quoted-printable (RFC 2046 5.2.1): its long lines
        // are broken where they stand, as those of a 7bit part too big to hold are.
        const encoding = (obj.encoding || '7bit').toLowerCase();
        breakers.set(obj, new LineBreaker(encoding === 'base64' || encoding === 'quoted-printable' ? encoding : 'fold'));
      } else if (!obj.multipart && !isMessageType(partType(obj))) {
        const encoding = (obj.encoding || '7bit').toLowerCase();
        if (encoding === 'base64' || encoding === 'quoted-printable') breakers.set(obj, new LineBreaker(encoding === 'quoted-printable' ? 'quoted-printable' : 'base64'));
        else {
          watching = { node: obj, chunks: [], size: 0, lineLength: 0 };
          return done();
        }
      }
      emit(this, obj);
      return done();
    }
    for (const d of held) emit(this, d);
    held = [];
    if (removed.size > 0 && (removed.has(obj.node) || isWithinAny(obj.node, removed))) return done();
    if (attached && obj.type === 'body') {
      attached.buffers.push(obj.value);
      return done();
    }
    const pending = html.get(obj.node);
    if (pending && obj.type === 'body') {
      pending.buffers.push(obj.value);
      return done();
    }
    if (obj.type === 'body' && watchBody(this, obj.node, obj.value)) return done();
    flushHtml(this);
    endBodies(this);
    emit(this, obj);
    done();
  }

  // A message we change leaves with CRLF line ends only: the splitter reads it that way.
  const output = Object.assign(edit, { changes }) as unknown as RewrittenMessage;
  // (mailsplit's typings narrow the Splitter's events to 'data', which hides that it is a Transform)
  pipeInto(pipeInto(original, splitter as unknown as Transform), edit);
  return output;
}
