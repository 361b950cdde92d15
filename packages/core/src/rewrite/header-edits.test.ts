import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import type { RewriteChange } from './change';
import { rewrite } from './rewrite';

async function run(message: Buffer, effects: Effect[]): Promise<{ out: Buffer; changes: RewriteChange[] }> {
  const stream = rewrite(Readable.from([message]), effects, { secret: 's3cret' });
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return { out: Buffer.concat(chunks), changes: stream.changes };
}

// Raw 8-bit UTF-8 in the header block, as many mailers send it.
const RAW_UTF8 = Buffer.from(['From: Jürgen Müller <jm@dimension.acme.example>', 'Subject: Größe 日本語', '', 'body', ''].join('\r\n'), 'utf8');

describe('editHeaders: a change lists values as text, the message keeps its bytes', () => {
  it('masquerade and rewrite of raw UTF-8 fields', async () => {
    const { out, changes } = await run(RAW_UTF8, [
      { type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['From'], messageId: false },
      { type: 'rewriteHeader', rule: 'r', header: 'Subject', match: 'Größe *', to: 'Size &' },
    ]);
    expect(changes).toEqual([
      { kind: 'header-rewritten', rule: 'm', name: 'From', from: 'Jürgen Müller <jm@dimension.acme.example>', to: 'Jürgen Müller <jm@acme.example>' },
      { kind: 'header-rewritten', rule: 'r', name: 'Subject', from: 'Größe 日本語', to: 'Size 日本語' },
    ]);
    expect(out.toString('utf8')).toContain('From: Jürgen Müller <jm@acme.example>\r\nSubject: Size 日本語\r\n');
  });
});

describe('editHeaders: a rewrite to an empty value', () => {
  it('removes the field and lists it as removed', async () => {
    const message = Buffer.from('From: a@b.example\r\nX-Internal-Host: hub3\r\nX-Internal-Ip: 10.0.0.5\r\n\r\nbody\r\n');
    const { out, changes } = await run(message, [{ type: 'rewriteHeader', rule: 'r', header: 'X-Internal-*', match: '*', to: '' }]);
    expect(out.toString()).toBe('From: a@b.example\r\n\r\nbody\r\n');
    expect(changes).toEqual([
      { kind: 'header-removed', rule: 'r', name: 'X-Internal-Host' },
      { kind: 'header-removed', rule: 'r', name: 'X-Internal-Ip' },
    ]);
  });
});
