import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import { rewrite } from './rewrite';

async function run(message: string, effects: Effect[], chunk = 7): Promise<{ out: string; changes: unknown[] }> {
  const pieces: Buffer[] = [];
  const raw = Buffer.from(message);
  for (let i = 0; i < raw.length; i += chunk) pieces.push(raw.subarray(i, i + chunk));
  const stream = rewrite(Readable.from(pieces), effects, { linesWithinLimit: true });
  const out: Buffer[] = [];
  for await (const c of stream as AsyncIterable<Buffer>) out.push(c);
  return { out: Buffer.concat(out).toString(), changes: stream.changes };
}

// A body a MIME parser would touch if it re-encoded anything: odd boundaries, long base64, bare text.
const BODY = 'preamble\r\n--b\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\nepilogue\r\n';
const MESSAGE = `From: Penny <penny@dimension.acme.example>\r\nX-Mailer: Outlook\r\nSubject: hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${BODY}`;

describe('rewrite when only the header block changes and line lengths are known to be within 998', () => {
  it('edits the header block and copies the body byte for byte, however the input is chunked', async () => {
    for (const chunk of [1, 7, 4096]) {
      const { out, changes } = await run(MESSAGE, [
        { type: 'removeHeaders', rule: 'r', names: ['X-Mailer'] },
        { type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['From'], messageId: false },
      ], chunk);
      expect(out).toBe(`From: Penny <penny@acme.example>\r\nSubject: hi\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${BODY}`);
      expect(changes).toHaveLength(2);
    }
  });

  it('passes the message through untouched when the header effects change nothing', async () => {
    const { out, changes } = await run(MESSAGE, [{ type: 'removeHeaders', rule: 'r', names: ['X-Absent'] }]);
    expect(out).toBe(MESSAGE);
    expect(changes).toEqual([]);
  });

  it('keeps a message that starts with a blank line headerless: its body does not become the header block', async () => {
    // Analysis reads no header here, so no part: were the lines after the blank line taken for the
    // header block, the gateway's Received line would turn them into a multipart nobody checked.
    const body = 'Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: application/octet-stream; name=evil.exe\r\n\r\nTVqQ\r\n--x--\r\n';
    for (const chunk of [1, 7, 4096]) {
      const { out } = await run(`\r\n${body}`, [{ type: 'addHeader', rule: 'received', name: 'Received', value: 'by fw.acme.example; date' }], chunk);
      expect(out).toBe(`Received: by fw.acme.example; date\r\n\r\n${body}`);
    }
  });

  it('handles a message that is only a header block', async () => {
    const { out } = await run('Subject: hi\r\nX-Mailer: a\r\n', [{ type: 'removeHeaders', rule: 'r', names: ['X-Mailer'] }]);
    expect(out).toBe('Subject: hi\r\n\r\n');
  });
});
