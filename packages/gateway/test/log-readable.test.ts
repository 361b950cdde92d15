/**
 * The readable log form (a terminal, --log-format pretty) splits as logfmt does: every value a
 * key=value reader can take apart, whatever spaces, `=` or quotes it holds, lists of objects too.
 */
import { createLog } from '../src/log';

/** The line of one event in the readable form. */
function line(fields: Record<string, unknown>): string {
  const lines: string[] = [];
  createLog('info', (l) => lines.push(l), true, () => new Date('2026-12-02T01:02:03Z')).event('info', fields);
  return lines[0]!;
}

/** What a logfmt reader makes of a line's pairs: bare values to the next space, quoted ones JSON-unescaped. */
function pairs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const detail = text.replace(/^\S+ \S+ +\S+ /, '').trimEnd();
  const re = /([^\s=]+)=("(?:[^"\\]|\\.)*"|[^\s"]*)(?: |$)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(detail))) {
    out[m[1]!] = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : m[2]!;
    end = re.lastIndex;
  }
  expect(end).toBe(detail.length); // nothing left that did not split
  return out;
}

it('quotes a value with spaces, = or quotes, and keeps a plain one bare', () => {
  const text = line({ event: 'delivery', id: 'MX1', detail: '127.0.0.1:40176 250 ok hub', note: 'a=b', said: 'he said "no"', path: 'C:\\x', empty: '', attempt: 1 });
  expect(text).toBe('01:02:03 INFO  delivery id=MX1 detail="127.0.0.1:40176 250 ok hub" note="a=b" said="he said \\"no\\"" path="C:\\\\x" empty="" attempt=1\n');
  expect(pairs(text)).toEqual({ id: 'MX1', detail: '127.0.0.1:40176 250 ok hub', note: 'a=b', said: 'he said "no"', path: 'C:\\x', empty: '', attempt: '1' });
});

it('quotes values inside an object one level deep (reply.text)', () => {
  const text = line({ event: 'decision', reply: { code: 550, status: '5.1.1', text: 'No such user' } });
  expect(text).toContain('reply.code=550 reply.status=5.1.1 reply.text="No such user"');
  expect(pairs(text)['reply.text']).toBe('No such user');
});

it('writes a list of words as a,b and quotes a word that has a comma', () => {
  const text = line({ event: 'ehlo', offered: ['PIPELINING', '8BITMIME'], headers: ['all but From,To', 'X-Mailer'] });
  expect(text).toContain('offered=PIPELINING,8BITMIME ');
  expect(pairs(text)).toMatchObject({ offered: 'PIPELINING,8BITMIME', headers: '"all but From,To",X-Mailer' });
});

it('writes a list of objects as key:value words, the objects apart by a comma, not as JSON', () => {
  const parts = [
    { action: 'strip', path: '2', type: 'application/x-msdos-program', filename: 'run.bat' },
    { action: 'drop', path: '3', type: 'text/plain', filename: 'a b.txt' },
  ];
  const text = line({ event: 'decision', removed: { parts } });
  expect(text).not.toContain('{');
  expect(pairs(text)['removed.parts']).toBe('action:strip path:2 type:application/x-msdos-program filename:run.bat, action:drop path:3 type:text/plain filename:"a b.txt"');
});
