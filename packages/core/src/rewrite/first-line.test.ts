import { Readable } from 'node:stream';
import type { Effect } from '../engine/effect';
import { analyze } from '../message/analyze';
import { rewrite } from './rewrite';

// mailsplit reads a first line "From ..." as an mbox separator and kept it out of the fields:
// `From : ceo@acme.example` went past a rule on From and left the rewriter without a From (trial).
const message = (first: string): Buffer => Buffer.from(`${first}\r\nTo: bob@acme.example\r\nSubject: hi\r\n\r\nbody\r\n`);

async function rewritten(raw: Buffer, effects: Effect[]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of rewrite(Readable.from([raw]), effects, { secret: 's3cret-s3cret-s3cret' })) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

describe('a first header line mailsplit takes for an mbox separator', () => {
  it('is the From field when it is one (white space before the colon)', async () => {
    const model = await analyze(Readable.from([message('From : CEO <ceo@acme.example>')]));
    expect(model.headers.map((h) => [h.name, h.value.trim()])).toEqual([['From', 'CEO <ceo@acme.example>'], ['To', 'bob@acme.example'], ['Subject', 'hi']]);
    expect(model.malformed).toEqual([]);
  });

  it('is kept, in its place, when the rewriter edits the header block', async () => {
    const out = await rewritten(message('From : CEO <ceo@acme.example>'), [{ type: 'addHeader', rule: 'a', name: 'X-Checked', value: 'yes' }]);
    expect(out).toMatch(/^X-Checked: yes\r\nFrom : CEO <ceo@acme\.example>\r\nTo: bob@acme\.example\r\nSubject: hi\r\n\r\n/);
    const masked = await rewritten(message('FROM  : penny@dimension.acme.example'), [{ type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['From'], messageId: false }]);
    expect(masked).toMatch(/^FROM *: penny@acme\.example\r\nTo: bob@acme\.example\r\n/);
  });

  it('is kept when a header edit and a strip of the body both change the block', async () => {
    // The edited block was read again by plain mailsplit, which took the line apart once more (review).
    const raw = Buffer.from('From : CEO <ceo@acme.example>\r\nTo: bob@acme.example\r\nX-Junk: 1\r\nSubject: hi\r\n\r\nbody\r\n');
    const part = { path: '0', carrier: '0', type: 'text/plain', size: 6 };
    const out = await rewritten(raw, [{ type: 'removeHeaders', rule: 'r', names: ['X-Junk'] }, { type: 'stripPart', rule: 's', part, notice: 'removed' }]);
    expect(out).toMatch(/^From : CEO <ceo@acme\.example>\r\nTo: bob@acme\.example\r\nSubject: hi\r\n/);
    expect(out).not.toMatch(/X-Junk/);
  });

  it('is a damaged header when it is a real separator line, which SMTP never carries', async () => {
    const model = await analyze(Readable.from([message('From sender@example.net Wed Dec  2 10:00:00 2026')]));
    expect(model.malformed).toEqual([expect.objectContaining({ kind: 'bad-header' })]);
  });
});
