import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import { analyze } from '../message/analyze';
import type { RewriteChange } from './change';
import { rewrite } from './rewrite';

async function run(message: string, effects: Effect[]): Promise<{ out: string; changes: RewriteChange[] }> {
  const stream = rewrite(Readable.from([Buffer.from(message)]), effects, { secret: 's3cret' });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks).toString(), changes: stream.changes };
}

const crlf = (lines: string[]): string => lines.join('\r\n');

// Trial r4a: a multipart with a PDF, and r4b: a quoted-printable text.
const MULTIPART = crlf([
  'From: a@example.net', 'To: bob@acme.example', 'Cc: c@example.net', 'Subject: s', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
  '--b', 'Content-Type: text/plain', '', 'hi', '--b', 'Content-Type: application/pdf; name="a.pdf"', 'Content-Transfer-Encoding: base64', '', 'JVBERi0xLjQ=', '--b--', '',
]);
const QUOTED = crlf([
  'From: a@example.net', 'Subject: s', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable', '', 'h=C3=A9llo', '',
]);

/** The top-level parts a reader finds in `message`: path, type and file name. */
async function partsOf(message: string): Promise<string[]> {
  const model = await analyze(Readable.from([Buffer.from(message)]));
  return model.parts.map((p) => `${p.path} ${p.type}${p.filenames[0] ? ` ${p.filenames[0]}` : ''}`);
}

describe('rewrite: remove and rewrite leave the MIME structure fields as they are (trial r4)', () => {
  it('remove ["*"] takes out every other field, and the attachment is still a part of its own', async () => {
    const { out, changes } = await run(MULTIPART, [{ type: 'removeHeaders', rule: 'r', names: ['*'] }]);
    expect(out.slice(0, out.indexOf('\r\n\r\n'))).toBe('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"');
    expect(changes.map((c) => c.kind === 'header-removed' && c.name)).toEqual(['From', 'To', 'Cc', 'Subject']);
    expect(await partsOf(out)).toEqual(await partsOf(MULTIPART));
  });

  it('C* removes Cc and keeps Content-Type; remove of Content-* and MIME-Version named changes nothing', async () => {
    expect((await run(MULTIPART, [{ type: 'removeHeaders', rule: 'r', names: ['C*'] }])).changes).toEqual([{ kind: 'header-removed', rule: 'r', name: 'Cc' }]);
    const named = await run(MULTIPART, [{ type: 'removeHeaders', rule: 'r', names: ['Content-*', 'MIME-Version'] }]);
    expect(named).toEqual({ out: MULTIPART, changes: [] });
  });

  it('a rewrite of every field to nothing leaves them, and one of Content-Transfer-Encoding does not mislabel the body', async () => {
    const emptied = await run(MULTIPART, [{ type: 'rewriteHeader', rule: 'w', header: '*', match: '*', to: '' }]);
    expect(emptied.out.startsWith('MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n')).toBe(true);
    expect(await run(QUOTED, [{ type: 'rewriteHeader', rule: 'w', header: 'Content-Transfer-Encoding', match: '*', to: 'base64' }])).toEqual({ out: QUOTED, changes: [] });
  });
});
