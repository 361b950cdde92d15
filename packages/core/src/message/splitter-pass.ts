import type { Readable } from 'node:stream';
import { CrlfSplitter } from '../rewrite/crlf';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import { EntityState } from './entity-state';
import { OutsideParts } from './outside-parts';
import { closeMultiparts } from './multipart-close';
import { entityFilenames } from './file-name';
import { parseHeaderLine } from './header-fields';
import { parseStructured } from './header-params';
import { ambiguousBoundary } from './boundary-readings';
import { hasUnorderedUtf16, unreadableCharsets } from './mime-words';
import type { AnalyzeLimits } from './limits';
import type { HeaderField, Malformation, MimePart } from './model';
import { partPath } from './part-path';
import { isMessageType, partType } from './part-type';

/** Whether `boundary` is `of` followed by `--`, so that `--boundary` is the line that closes `of`. */
const isCloseOf = (boundary: Buffer, of: Buffer): boolean =>
  boundary.length === of.length + 2 && boundary.subarray(0, of.length).equals(of) && boundary.subarray(of.length).equals(Buffer.from('--'));

/** Where a pass's entities sit: top level, or inside an attached message of the outer one. */
export interface PassScope {
  prefix: string;
  carrier?: string;
  depth: number;
}

export interface PassResult {
  size: number;
  headers: HeaderField[];
  parts: MimePart[];
  leaves: EntityState[];
  malformed: Malformation[];
}

/** The encodings a multipart or message may have (RFC 2045 6.4, RFC 2046 5.2.1): none, only a label. */
const IDENTITY_ENCODINGS = new Set(['7bit', '8bit', 'binary']);
/** The transfer encodings of RFC 2045 6.1; any other is unknown (6.4). */
const KNOWN_ENCODINGS = new Set(['7bit', '8bit', 'binary', 'quoted-printable', 'base64']);

function depthOf(node: MimeNode): number {
  let depth = 0;
  for (let n = node.parentNode; n; n = n.parentNode) depth++;
  return depth;
}

/** One streaming Splitter pass over a message: entities, header problems, and leaf bodies. */
export function splitterPass(input: Readable, limits: AnalyzeLimits, scope: PassScope): Promise<PassResult> {
  const result: PassResult = { size: 0, headers: [], parts: [], leaves: [], malformed: [] };
  const states = new Map<MimeNode, EntityState>();
  const open = new Map<MimeNode, string>();
  const outside = new Map<MimeNode, OutsideParts>();
  const flag = (kind: Malformation['kind'], path: string, detail: string): void => {
    if (!result.malformed.some((m) => m.kind === kind && m.path === path && m.detail === detail)) {
      result.malformed.push({ kind, path, detail });
    }
  };
  // The message is read with CRLF line ends, as the rewriter reads it: a bare CR in a header
  // must hide nothing here that the delivered message shows.
  const splitter = new CrlfSplitter({ maxHeadSize: limits.maxHeadSize, maxChildNodes: limits.maxParts });
  // A NUL: RFC 5322 allows none, SMTP refuses it (the gateway's strict DATA), and readers cut text at it.
  let nul = false;
  splitter.input = (chunk) => {
    if (!nul && chunk.includes(0)) nul = true;
  };

  const onNode = (node: MimeNode): void => {
    const path = scope.prefix + partPath(node);
    const depth = scope.depth + depthOf(node);
    // An empty header block (a part that starts with its blank line, RFC 2046 5.1.1) is read
    // by mailsplit as one empty line, which is no field and no damage either.
    const headers = node.headers ? node.headers.getList().filter((h) => h.line !== '') : [];
    const fields = headers.map((h) => parseHeaderLine(h.line));
    for (const f of fields) if ('problem' in f) flag('bad-header', path, f.problem);
    if (node.root && scope.prefix === '') result.headers = fields.filter((f): f is HeaderField => !('problem' in f));
    const valuesOf = (name: string): string[] =>
      fields.filter((f): f is HeaderField => !('problem' in f) && f.name.toLowerCase() === name).map((f) => f.value);
    const rawType = valuesOf('content-type');
    const rawDisposition = valuesOf('content-disposition');
    const rawEncoding = valuesOf('content-transfer-encoding');
    for (const [name, values] of [['Content-Type', rawType], ['Content-Disposition', rawDisposition], ['Content-Transfer-Encoding', rawEncoding]] as const) {
      // One reader takes the first, another the last (mailsplit the first, munpack the last).
      if (values.length > 1) flag('bad-header', path, `${values.length} ${name} fields`);
      // RFC 2047 5 allows no encoded word there; a reader that decodes one anyway (Python's
      // email does) sees a type, name or encoding that we do not.
      if (values.some((v) => /^[ \t]*=\?/.test(v))) flag('bad-header', path, `${name} written as an encoded word`);
    }
    // Every instance counts: a reader that takes the last one must not see a name we missed.
    const typeValue = rawType.join('; ');
    const dispositionValue = rawDisposition.join('; ');
    const boundaries = parseStructured(typeValue).params.get('boundary') ?? [];
    if (boundaries.length > 1) flag('duplicate-boundary', path, `boundary given ${boundaries.length} times`);
    if (boundaries.some((b) => b !== b.trimEnd())) flag('bad-header', path, 'boundary parameter ends in white space; readers disagree where parts start');
    if (node.multipart) ambiguousBoundary(typeValue, boundaries, (detail) => flag('duplicate-boundary', path, detail));
    if (depth > limits.maxDepth) flag('limits', path, `nested deeper than ${limits.maxDepth}`);
    if (node._headerlen > limits.headerBlockLimit) flag('limits', path, `header block of ${node._headerlen} bytes is over ${limits.headerBlockLimit}`);
    // Thunderbird also takes a name from Content-Name and X-Sun-Data-Name (after these two).
    const nameFields = [...valuesOf('content-name'), ...valuesOf('x-sun-data-name')];
    const filenames = entityFilenames(typeValue || undefined, dispositionValue || undefined, nameFields);
    const unreadable = unreadableCharsets([typeValue, dispositionValue, ...nameFields].join('\n'));
    if (unreadable.length > 0) flag('bad-header', path, `a header field of the part is in a charset read here as nothing (${unreadable.map((c) => JSON.stringify(c)).join(', ')}); a reader that knows it sees a name no rule saw`);
    const unordered = hasUnorderedUtf16([typeValue, dispositionValue, ...nameFields].join('\n'));
    if (unordered) flag('bad-header', path, 'a name in UTF-16 without a byte-order mark: readers take its byte order differently (read here as Python and Windows read it, little-endian)');
    const part: MimePart = {
      path,
      carrier: scope.carrier ?? path,
      type: partType(node),
      size: 0,
      filenames,
      multipart: Boolean(node.multipart),
      depth,
      inArchive: false,
      encrypted: false,
      doubleExtension: false,
      // A name we cannot read hides what the file is.
      nameMismatch: unreadable.length > 0 || unordered,
    };
    if (node.charset) part.charset = node.charset;
    if (node.disposition) part.disposition = node.disposition;
    if (node.encoding) part.encoding = node.encoding;
    if (node.encoding && node.multipart && !IDENTITY_ENCODINGS.has(node.encoding)) {
      // RFC 2045 6.4: a multipart is never encoded; a reader that decodes one anyway sees parts we do not.
      flag('bad-encoding', path, `multipart with Content-Transfer-Encoding ${JSON.stringify(node.encoding)} (only 7bit, 8bit or binary may stand there)`);
    }
    if (node.encoding && !node.multipart && !KNOWN_ENCODINGS.has(node.encoding)) {
      // RFC 2045 6.4: such an entity is application/octet-stream whatever its type says; some
      // readers decode x-uuencode or a quoted "base64" all the same, so it is also ambiguous.
      flag('bad-encoding', path, `unknown Content-Transfer-Encoding ${JSON.stringify(node.encoding)}: taken as application/octet-stream`);
      part.type = 'application/octet-stream';
    }
    if (filenames[0] !== undefined) part.filename = filenames[0];
    result.parts.push(part);
    if (node.multipart && node._boundary) {
      open.set(node, `--${node._boundary.toString('latin1')}--`);
      outside.set(node, new OutsideParts());
      for (let up = node.parentNode; up; up = up.parentNode) {
        // The inner parts end where the outer ones do: readers split them differently.
        if (!up._boundary) continue;
        if (up._boundary.equals(node._boundary)) flag('duplicate-boundary', path, 'a multipart inside another uses its boundary');
        // One's closing line is the other's delimiter (`BND` around `BND--`: the line `--BND--`
        // closes the outer multipart for one reader and opens an inner part for another).
        else if (isCloseOf(up._boundary, node._boundary) || isCloseOf(node._boundary, up._boundary)) {
          flag('duplicate-boundary', path, 'a multipart inside another has a boundary that is the other\'s followed by --: one line is both a delimiter and a closing one');
        }
      }
    }
    else if (node.multipart) flag('unclosed-multipart', path, 'multipart without a boundary parameter');
    if (!node.multipart && node.messageNode !== true) {
      const attached = isMessageType(part.type) || filenames.some((n) => /\.eml$/i.test(n));
      const state = new EntityState(part, attached, limits.spoolAbove, limits.maxContainerSize);
      states.set(node, state);
      result.leaves.push(state);
    }
  };

  return new Promise((resolve, reject) => {
    let failed = false;
    let finished = false;
    splitter.on('data', (obj: SplitterChunk) => {
      if (obj.type === 'node') onNode(obj);
      else if (obj.type === 'body') states.get(obj.node)?.write(obj.value);
      else {
        outside.get(obj.node)?.write(obj.value);
        closeMultiparts(obj.node, obj.value, open);
      }
    });
    const stream = splitter as unknown as NodeJS.EventEmitter;
    stream.on('error', (err: Error & { code?: string }) => {
      failed = true;
      flag(err.code === 'EMAXLEN' ? 'limits' : 'bad-header', '', err.message);
      input.unpipe(splitter);
      input.resume();
      if (input.readableEnded) finish();
    });
    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const [node, closing] of open) flag('unclosed-multipart', scope.prefix + partPath(node), `no closing ${closing} line`);
      for (const [node, watch] of outside) {
        const where = scope.prefix + partPath(node);
        for (const name of watch.end()) flag('bad-encoding', where, `file ${JSON.stringify(name)} encoded in the preamble or epilogue, which some readers open`);
        if (watch.headerLine) flag('bad-header', where, 'part header lines in the preamble or epilogue, which some readers open as a part');
      }
      if (splitter.lines.bareCR) flag('bare-cr', scope.prefix, 'a CR not followed by LF: readers disagree where a line, a header field or a part ends');
      if (nul) flag('bad-encoding', scope.prefix, 'a NUL octet: mail may hold none (RFC 5322), and readers cut the text at it');
      for (const state of result.leaves) {
        state.end();
        state.part.size = state.size;
        if (state.decoder.problem) flag('bad-encoding', state.part.path, state.decoder.problem);
        // Binary is octets, not lines: beside bare LFs, which the message is read (and rewritten) as line ends, its own LFs are lost.
        if (splitter.lines.bareLF && state.part.encoding === 'binary') {
          flag('bad-encoding', state.part.path, 'a binary body in a message with bare LF line ends: its LF octets cannot be told from line ends, and a rewrite makes them CRLF');
        }
      }
      resolve(result);
    };
    stream.on('end', () => !failed && finish());
    input.on('data', (chunk: Buffer) => (result.size += chunk.length));
    input.on('error', (err) => {
      for (const state of result.leaves) state.dispose();
      reject(err);
    });
    input.on('end', () => failed && finish());
    input.pipe(splitter);
    splitter.resume();
  });
}
