import { Readable } from 'node:stream';
import { mboxMessages } from '../src/replay/mbox-reader';

// The mbox splitter on its own: what each message's bytes are, read in tiny chunks so lines
// straddle them.
async function split(text: string): Promise<{ line: number; text: string }[]> {
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / 3) }, (_, i) => bytes.subarray(i * 3, i * 3 + 3));
  const found: { line: number; text: string }[] = [];
  for await (const m of mboxMessages(Readable.from(chunks))) {
    const parts: Buffer[] = [];
    for await (const c of m.stream) parts.push(c as Buffer);
    found.push({ line: m.line, text: Buffer.concat(parts).toString() });
  }
  return found;
}

describe('mboxMessages', () => {
  test('splits on "From " at line start, drops the blank line a writer adds after each message, unquotes >From (mboxrd)', async () => {
    const mbox = [
      'From a@example.net Mon Nov  2 10:00:00 2026',
      'Subject: one',
      '',
      '>From the start of a line',
      '>>From twice quoted',
      '> From is not quoted (a space first)',
      'not From at line start',
      '',
      'From b@example.net Mon Nov  2 10:01:00 2026',
      'Subject: two',
      '',
      'body',
      '',
      '',
    ].join('\n');
    expect(await split(mbox)).toEqual([
      { line: 1, text: 'Subject: one\n\nFrom the start of a line\n>From twice quoted\n> From is not quoted (a space first)\nnot From at line start\n' },
      { line: 9, text: 'Subject: two\n\nbody\n' },
    ]);
  });

  test('a "From " line right after a non-blank line is body text, not a separator (trial39 box2.mbox)', async () => {
    const mbox = 'From a Mon\nSubject: s1\n\nline one\nFrom here on we talk\nbye\n\nFrom b Mon\nSubject: s2\n\nx\n';
    expect(await split(mbox)).toEqual([
      { line: 1, text: 'Subject: s1\n\nline one\nFrom here on we talk\nbye\n' },
      { line: 8, text: 'Subject: s2\n\nx\n' },
    ]);
  });

  test('CRLF lines, text before the first separator skipped, no final newline', async () => {
    const mbox = 'junk before\r\nFrom a Mon\r\nSubject: x\r\n\r\nend';
    expect(await split(mbox)).toEqual([{ line: 2, text: 'Subject: x\r\n\r\nend' }]);
  });

  test('a message the consumer leaves unread is skipped, and the next one still starts at its separator', async () => {
    const big = 'x'.repeat(100_000);
    const mbox = `From a\nSubject: big\n\n${big}\n\nFrom b\nSubject: small\n\nhi\n`;
    const seen: string[] = [];
    for await (const m of mboxMessages(Readable.from([Buffer.from(mbox)]))) {
      if (seen.length === 0) {
        seen.push('skipped');
        continue;
      }
      const parts: Buffer[] = [];
      for await (const c of m.stream) parts.push(c as Buffer);
      seen.push(Buffer.concat(parts).toString());
    }
    expect(seen).toEqual(['skipped', 'Subject: small\n\nhi\n']);
  });

  test('streams: a message is not read ahead of its consumer (memory holds lines, not the message)', async () => {
    let pulled = 0;
    async function* huge() {
      yield Buffer.from('From a\nSubject: huge\n\n');
      for (let i = 0; i < 100_000; i += 1) {
        pulled += 1;
        yield Buffer.from(`${'y'.repeat(99)}\n`); // 10 MB in all
      }
    }
    const messages = mboxMessages(Readable.from(huge()));
    const first = await messages.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(first.done).toBe(false);
    expect(pulled).toBeLessThan(2_000); // about the streams' buffers (16 KB each), not 10 MB
    await messages.return(undefined);
  });
});
