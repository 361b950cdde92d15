import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import { analyze } from '../message/analyze';
import { rewrite } from './rewrite';

const STRIP: Effect = { type: 'stripHtml', rule: 'h', elements: ['script'] };
const crlf = (lines: string[]): string => lines.join('\r\n');

async function run(message: string): Promise<{ out: string; changes: unknown[] }> {
  const stream = rewrite(Readable.from([Buffer.from(message)]), [STRIP]);
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks).toString('latin1'), changes: stream.changes };
}

const FORWARDED = crlf(['Subject: fwd', 'Content-Type: text/html', '', '<p>x</p><script>alert(1)</script>', '']);
const CLEAN = crlf(['Subject: clean', '', 'just text', '']);
const outer = (parts: string[]): string =>
  crlf(['From: a@b.example', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=o', '', ...parts.map((p) => `--o\r\n${p}`), '--o--', '']);

describe('rewrite: stripHtml inside attached messages the splitter does not open', () => {
  it('strips the HTML of a base64 .eml attachment and keeps it base64; a clean one keeps its bytes', async () => {
    const clean = `Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(CLEAN).toString('base64')}`;
    const message = outer([
      `Content-Type: message/rfc822\r\nContent-Disposition: attachment; filename="fwd.eml"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(FORWARDED).toString('base64')}`,
      clean,
    ]);
    const { out, changes } = await run(message);
    const encoded = /filename="fwd.eml"\r\nContent-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--o/.exec(out)![1]!;
    expect(Buffer.from(encoded, 'base64').toString()).toBe(crlf(['Subject: fwd', 'Content-Type: text/html', '', '<p>x</p>', '']));
    expect(out).toContain(`--o\r\n${clean}\r\n--o--\r\n`);
    expect(changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '1/0', removed: 1 }]);
  });

  it('strips a message/rfc822 body sent as is', async () => {
    const { out } = await run(outer([`Content-Type: message/rfc822\r\n\r\n${FORWARDED}`]));
    expect(out).toContain('\r\n\r\n<p>x</p>\r\n\r\n--o--\r\n');
    expect(out).not.toContain('alert');
  });

  it('strips the HTML of a message/global (RFC 6532), which readers show as they show message/rfc822', async () => {
    const { out, changes } = await run(outer([`Content-Type: message/global\r\n\r\n${FORWARDED}`]));
    expect(out).toContain('\r\n\r\n<p>x</p>\r\n\r\n--o--\r\n');
    expect(changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '1/0', removed: 1 }]);
  });

  it('strips the HTML of a digest part, which is a message without saying so', async () => {
    const digest = crlf(['From: a@b.example', 'MIME-Version: 1.0', 'Content-Type: multipart/digest; boundary=d', '', '--d', '', FORWARDED, '--d--', '']);
    const { out, changes } = await run(digest);
    expect(out).toContain('--d\r\n\r\nSubject: fwd\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n\r\n--d--\r\n');
    expect(changes).toEqual([{ kind: 'html-stripped', rule: 'h', path: '1/0', removed: 1 }]);
  });
});

describe('rewrite: long lines in attached messages', () => {
  const LONG = crlf(['Subject: long', '', 'y'.repeat(2000), '']);
  const message = outer(['Content-Type: application/x; name=a.exe\r\n\r\nMZ', `Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${LONG}`]);
  const strip: Effect = { type: 'stripPart', rule: 's', part: { path: '1', carrier: '1', type: 'application/x', size: 2 }, notice: 'gone' };

  it.each([
    ['with a strip elsewhere', [strip]],
    ['held for stripHtml, with no HTML in it', [strip, STRIP]],
  ])('are broken where they stand (an attached message cannot be quoted-printable), %s', async (_name, effects) => {
    const stream = rewrite(Readable.from([Buffer.from(message)]), effects);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const out = Buffer.concat(chunks).toString('latin1');
    expect(Math.max(...out.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(out.replace(/\r\n /g, '')).toContain(`\r\n\r\n${'y'.repeat(2000)}\r\n`);
    expect(stream.changes).toContainEqual({ kind: 'lines-broken', path: '2', style: 'fold' });
  });
});

describe('rewrite: stripHtml inside an attached message that leaves a delimiter of the outer one', () => {
  it('sends the attached message in base64, so the outer structure stays as analyzed', async () => {
    const inner = crlf(['Subject: fwd', 'Content-Type: text/html', '', '<script>1</script>--o', 'Content-Type: text/html', '', '<script>alert(2)</script>', '']);
    const message = outer([`Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n${inner}`, 'Content-Type: text/plain\r\n\r\nlast']);
    const { out, changes } = await run(message);
    const model = await analyze(Readable.from([Buffer.from(out, 'latin1')]));
    expect(model.parts.filter((p) => !p.path.includes('/')).map((p) => `${p.path} ${p.type}`)).toEqual(['0 multipart/mixed', '1 message/rfc822', '2 text/plain']);
    expect(changes).toContainEqual({ kind: 'part-reencoded', path: '1', encoding: 'base64' });
    expect(out).toContain('--o\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\nContent-Transfer-Encoding: base64\r\n\r\n');
    const encoded = /Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--o/.exec(out)![1]!;
    expect(Buffer.from(encoded, 'base64').toString()).toBe(crlf(['Subject: fwd', 'Content-Type: text/html', '', '--o', 'Content-Type: text/html', '', '', '']));
  });
});
