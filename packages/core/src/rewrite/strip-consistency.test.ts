import { Readable } from 'node:stream';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit';
import type { Effect } from '../engine/effect';
import { analyze } from '../message/analyze';
import { partPath } from '../message/part-path';
import { CrlfSplitter } from './crlf';
import { rewrite } from './rewrite';

// Analysis names parts by path and carrier; rewrite replaces carriers by path. For crafted
// structures, stripping every part analysis gave a name must leave no name behind, and every
// other leaf must decode as it did before.

const EXE = 'TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAA';
const head = (type: string): string => `From: a@example.net\nTo: b@acme.example\nSubject: t\nMIME-Version: 1.0\nContent-Type: ${type}\n\n`;
const exe = (b: string, name: string): string => `--${b}\nContent-Type: application/octet-stream; name="${name}"\nContent-Transfer-Encoding: base64\n\n${EXE}\n`;
const text = (b: string, body = 'benign text'): string => `--${b}\nContent-Type: text/plain\n\n${body}\n`;
const inner = head('multipart/mixed; boundary="i"') + text('i', 'inner text') + exe('i', 'in.exe') + '--i--\n';
const crlf = (s: string): Buffer => Buffer.from(s.replace(/\n/g, '\r\n'), 'latin1');

const messages: [string, Buffer][] = [
  ['boundaries that are prefixes (a, ab)', crlf(head('multipart/mixed; boundary="a"') + text('a') + '--a\nContent-Type: multipart/mixed; boundary="ab"\n\n' + text('ab') + exe('ab', 'x.exe') + '--ab--\n' + exe('a', 'y.exe') + '--a--\n')],
  ['boundaries that are prefixes (ab, a)', crlf(head('multipart/mixed; boundary="ab"') + text('ab') + '--ab\nContent-Type: multipart/mixed; boundary="a"\n\n' + text('a') + exe('a', 'x.exe') + '--a--\n' + exe('ab', 'y.exe') + '--ab--\n')],
  ['boundary-like lines in preamble and epilogue', crlf(head('multipart/mixed; boundary="b"') + '--bx\n--b-\n-- b\n' + text('b') + exe('b', 'x.exe') + '--b--\n--b\nContent-Type: application/x; name="epi.exe"\n\nxx\n')],
  ['outer delimiter in an inner preamble', crlf(head('multipart/mixed; boundary="o"') + text('o') + '--o\nContent-Type: multipart/mixed; boundary="i"\n\npreamble\n' + exe('o', 'x.exe') + text('i') + '--i--\n--o--\n')],
  ['delimiters with transport padding', crlf(head('multipart/mixed; boundary="b"') + text('b') + '--b \t \nContent-Type: application/x; name="pad.exe"\n\nxx\n--b--  \n')],
  ['inner multipart never closed, parts after it', crlf(head('multipart/mixed; boundary="o"') + text('o') + '--o\nContent-Type: multipart/mixed; boundary="i"\n\n' + text('i') + exe('o', 'x.exe') + text('o', 'tail') + '--o--\n')],
  ['inline message/rfc822', crlf(head('multipart/mixed; boundary="o"') + text('o') + '--o\nContent-Type: message/rfc822\nContent-Disposition: inline\n\n' + inner + '--o--\n')],
  ['message/rfc822 the splitter does not open', crlf(head('multipart/mixed; boundary="o"') + text('o') + '--o\nContent-Type: message/rfc822\n\n' + inner + '--o--\n')],
  ['base64 message/rfc822', crlf(head('multipart/mixed; boundary="o"') + text('o') + '--o\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n' + Buffer.from(crlf(inner)).toString('base64').replace(/.{76}/g, '$&\n') + '\n--o--\n')],
  ['digest part without Content-Type', crlf(head('multipart/digest; boundary="d"') + '--d\n\n' + inner + '--d\nContent-Type: text/plain\n\nplain\n--d--\n')],
  ['part without header fields', crlf(head('multipart/mixed; boundary="b"') + '--b\n\nno fields\n' + exe('b', 'x.exe') + '--b--\n')],
  ['header block cut short by the delimiter', crlf(head('multipart/mixed; boundary="b"') + text('b') + `--b\nContent-Type: application/x; name="cut.exe"\nContent-Transfer-Encoding: base64\n${EXE}\n` + text('b', 'last') + '--b--\n')],
  ['two Content-Type fields', crlf(head('multipart/mixed; boundary="b"') + text('b') + '--b\nContent-Type: text/plain\nContent-Type: application/x; name="dup.exe"\n\nxx\n--b--\n')],
  ['Content-Type with comments, odd case and continuations', crlf(head('Multipart/MIXED;\n\tBoundary="b" (x)') + text('b') + '--b\nContent-Type: APPLICATION/x;\n name*0="co";\n name*1="nt.exe" (c)\n\nxx\n--b--\n')],
  ['a named multipart', crlf(head('multipart/mixed; boundary="b"') + text('b') + '--b\nContent-Type: multipart/mixed; boundary="c"; name="m.exe"\n\n' + text('c') + '--c--\n' + text('b', 'after') + '--b--\n')],
  ['LF line ends', Buffer.from(head('multipart/mixed; boundary="b"') + text('b') + exe('b', 'x.exe') + '--b--\n')],
  ['bare CR line ends', Buffer.from((head('multipart/mixed; boundary="b"') + text('b') + exe('b', 'x.exe') + '--b--\n').replace(/\n/g, '\r'))],
  ['CR, LF and CRLF mixed', Buffer.from(`From: a@b\r\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\r\r\n--b\rContent-Type: text/plain\n\nx\r\n--b\r\nContent-Type: application/x; name="m.exe"\r\r${EXE}\n--b--\r`)],
  ['message/global', crlf(head('multipart/mixed; boundary="o"') + text('o') + '--o\nContent-Type: message/global\n\n' + inner + '--o--\n')],
];

/** Every leaf's decoded body by path, attached messages opened as analysis opens them. */
async function leaves(data: Buffer, prefix = ''): Promise<Map<string, Buffer>> {
  const bodies = new Map<MimeNode, Buffer[]>();
  const splitter = new CrlfSplitter();
  Readable.from([data]).pipe(splitter);
  for await (const obj of splitter as AsyncIterable<SplitterChunk>) {
    if (obj.type === 'node' && !obj.multipart && obj.messageNode !== true) bodies.set(obj, []);
    else if (obj.type === 'body') bodies.get(obj.node)?.push(obj.value);
  }
  const out = new Map<string, Buffer>();
  const model = await analyze(Readable.from([data]));
  for (const [node, chunks] of bodies) {
    const decoded: Buffer[] = [];
    for await (const c of Readable.from([Buffer.concat(chunks)]).pipe(node.getDecoder())) decoded.push(c as Buffer);
    const path = prefix + partPath(node);
    out.set(path, Buffer.concat(decoded));
    if (model.parts.some((p) => p.path.startsWith(`${path}/`))) for (const [k, v] of await leaves(Buffer.concat(decoded), `${path}/`)) out.set(k, v);
  }
  return out;
}

describe('strip by carrier agrees with analysis', () => {
  it.each(messages)('%s', async (_name, message) => {
    const model = await analyze(Readable.from([message]));
    const named = model.parts.filter((p) => p.filenames.length > 0);
    expect(named.length).toBeGreaterThan(0);
    const effects: Effect[] = named.map((p) => ({ type: 'stripPart', rule: 's', part: { path: p.path, carrier: p.carrier, type: p.type, size: p.size }, notice: 'removed' }));
    const stream = rewrite(Readable.from([message]), effects);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const out = Buffer.concat(chunks);
    const carriers = [...new Set(named.map((p) => p.carrier))].sort();
    expect(stream.changes.filter((c) => c.kind === 'part-stripped').map((c) => (c as { path: string }).path).sort()).toEqual(carriers);
    expect((await analyze(Readable.from([out]))).parts.filter((p) => p.filenames.length > 0)).toEqual([]);
    const within = (path: string): boolean => carriers.some((c) => path === c || path.startsWith(`${c}.`) || path.startsWith(`${c}/`));
    const before = await leaves(message);
    const after = await leaves(out);
    for (const [path, body] of before) if (!within(path)) expect([path, after.get(path)?.toString('latin1')]).toEqual([path, body.toString('latin1')]);
  });
});
