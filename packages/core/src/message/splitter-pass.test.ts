import { Readable } from 'node:stream';
import { analyzeLimits } from './limits';
import type { Malformation } from './model';
import { splitterPass } from './splitter-pass';

/** The damage one pass reports, for a message given as lines (CRLF between them). */
async function malformed(lines: string[], chunkSize?: number): Promise<Malformation[]> {
  const bytes = Buffer.from(lines.join('\r\n'), 'latin1');
  const chunks = chunkSize ? Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) => bytes.subarray(i * chunkSize, (i + 1) * chunkSize)) : [bytes];
  const pass = await splitterPass(Readable.from(chunks), analyzeLimits(), { prefix: '', depth: 0 });
  for (const leaf of pass.leaves) leaf.dispose();
  return pass.malformed;
}

const head = (boundary: string): string[] => [
  'From: a@example.net', 'To: bob@acme.example', 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`, '',
];

// What Python's email package writes for a text + html message with EmailMessage.add_alternative
// inside a mixed one: the inner closing line, a blank line, then the outer closing line.
const python = [
  'Content-Type: multipart/mixed; boundary="===============2297658961145339008=="', 'MIME-Version: 1.0',
  'From: a@example.net', 'To: bob@acme.example', 'Subject: py', '',
  '--===============2297658961145339008==',
  'Content-Type: multipart/alternative;', ' boundary="===============0385619589420095834=="', 'MIME-Version: 1.0', '',
  '--===============0385619589420095834==', 'Content-Type: text/plain; charset="us-ascii"', 'MIME-Version: 1.0',
  'Content-Transfer-Encoding: 7bit', '', 'plain',
  '--===============0385619589420095834==', 'Content-Type: text/html; charset="us-ascii"', 'MIME-Version: 1.0',
  'Content-Transfer-Encoding: 7bit', '', '<p>h</p>',
  '--===============0385619589420095834==--', '',
  '--===============2297658961145339008==--', '',
];

describe('splitterPass: closed multiparts are not unclosed-multipart', () => {
  const closed: [string, string[]][] = [
    ['python mixed > alternative, blank line between the closings', python],
    ['mixed > alternative as last child, closings back to back',
      [...head('L1'), '--L1', 'Content-Type: multipart/alternative; boundary="L2"', '', '--L2', 'Content-Type: text/plain', '', 'a', '--L2--', '--L1--', '']],
    ['three levels, each the last child of the one above',
      [...head('L1'), '--L1', 'Content-Type: multipart/alternative; boundary="L2"', '', '--L2', 'Content-Type: text/plain', '', 'a',
        '--L2', 'Content-Type: multipart/related; boundary="L3"', '', '--L3', 'Content-Type: text/html', '', '<p>h</p>', '--L3--', '--L2--', '--L1--', '']],
    ['an inline message/rfc822 with a multipart body as last child',
      [...head('BB'), '--BB', 'Content-Type: text/plain', '', 'see fwd', '--BB', 'Content-Type: message/rfc822', 'Content-Disposition: inline', '',
        'From: x@example.org', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="IN"', '', '--IN', 'Content-Type: text/plain', '', 'inner',
        '--IN--', '--BB--', '']],
    ['closings with an epilogue after each',
      [...head('L1'), '--L1', 'Content-Type: multipart/alternative; boundary="L2"', '', '--L2', 'Content-Type: text/plain', '', 'a',
        '--L2--', 'inner epilogue', '--L1--', 'outer epilogue', '']],
  ];

  it.each(closed)('%s', async (_title, lines) => {
    expect(await malformed(lines)).toEqual([]);
  });

  it('python-generated mail fed in small chunks', async () => {
    for (const size of [1, 7, 64]) expect(await malformed(python, size)).toEqual([]);
  });
});

describe('splitterPass: unclosed-multipart still reported', () => {
  it('an outer multipart that never closes', async () => {
    const lines = [...head('BB'), '--BB', 'Content-Type: text/plain', '', 'hello', '--BB', 'Content-Type: application/octet-stream', '', 'MZ', ''];
    expect(await malformed(lines)).toEqual([expect.objectContaining({ kind: 'unclosed-multipart', path: '0' })]);
  });

  it('an inner multipart ended only by the outer closing line', async () => {
    const lines = [...head('L1'), '--L1', 'Content-Type: multipart/alternative; boundary="L2"', '', '--L2', 'Content-Type: text/plain', '', 'a', '--L1--', ''];
    expect(await malformed(lines)).toEqual([expect.objectContaining({ kind: 'unclosed-multipart', path: '1' })]);
  });

  it('an outer multipart whose last child, a closed multipart, is the end of the message', async () => {
    const lines = [...head('L1'), '--L1', 'Content-Type: multipart/alternative; boundary="L2"', '', '--L2', 'Content-Type: text/plain', '', 'a', '--L2--', ''];
    expect(await malformed(lines)).toEqual([expect.objectContaining({ kind: 'unclosed-multipart', path: '0' })]);
  });

  it('an inner closing line repeated in the outer epilogue closes nothing more', async () => {
    const lines = [...head('L1'), '--L1', 'Content-Type: multipart/alternative; boundary="L2"', '', '--L2', 'Content-Type: text/plain', '', 'a', '--L1--', '--L2--', ''];
    expect(await malformed(lines)).toEqual([expect.objectContaining({ kind: 'unclosed-multipart', path: '1' })]);
  });
});

describe('splitterPass: white space before a colon', () => {
  /** The parts and damage one pass finds in a message given as lines. */
  async function pass(lines: string[]): Promise<Awaited<ReturnType<typeof splitterPass>>> {
    const result = await splitterPass(Readable.from([Buffer.from(lines.join('\r\n'), 'latin1')]), analyzeLimits(), { prefix: '', depth: 0 });
    for (const leaf of result.leaves) leaf.dispose();
    return result;
  }

  it('reads a part header field written `Name :` as that field (type, disposition, filename, encoding)', async () => {
    const lines = [...head('BB'), '--BB', 'Content-Type: text/plain', '', 'hello', '--BB',
      'Content-Type : application/octet-stream; name="a.scr"', 'Content-Disposition\t: attachment; filename="sc.exe"', 'Content-Transfer-Encoding  : base64', '',
      'TVqQAAMAAAAEAAAA', '--BB--', ''];
    const result = await pass(lines);
    expect(result.malformed).toEqual([]);
    expect(result.parts[2]).toMatchObject({ type: 'application/octet-stream', disposition: 'attachment', encoding: 'base64', filename: 'sc.exe', filenames: ['sc.exe', 'a.scr'] });
    expect(result.parts[2]!.size).toBe(12);
  });

  it('counts a `Name :` field among the instances of that field', async () => {
    const lines = [...head('BB'), '--BB', 'Content-Disposition: attachment; filename="notes.txt"', 'Content-Disposition : attachment; filename="notes.exe"', '', 'x', '--BB--', ''];
    const result = await pass(lines);
    expect(result.parts[1]!.filenames).toEqual(['notes.exe', 'notes.txt']);
    expect(result.malformed).toEqual([expect.objectContaining({ kind: 'bad-header', path: '1', detail: '2 Content-Disposition fields' })]);
  });

  it('still reports a line whose name has white space inside it', async () => {
    const lines = [...head('BB'), '--BB', 'Content Disposition: attachment; filename="sc.exe"', '', 'x', '--BB--', ''];
    expect((await pass(lines)).malformed).toEqual([expect.objectContaining({ kind: 'bad-header', path: '1', detail: expect.stringContaining('header line is not a field') })]);
  });
});

describe('splitterPass: a multipart with a transfer encoding (RFC 2045 6.4)', () => {
  it.each(['quoted-printable', 'base64'])('%s is bad-encoding', async (encoding) => {
    const lines = ['From: a@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="BB"', `Content-Transfer-Encoding: ${encoding}`, '',
      '--BB', 'Content-Type: text/plain', '', 'hello', '--BB--', ''];
    expect(await malformed(lines)).toEqual([expect.objectContaining({ kind: 'bad-encoding', path: '0' })]);
  });

  it.each(['7bit', '8BIT', 'binary'])('%s is not', async (encoding) => {
    const lines = ['From: a@example.net', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="BB"', `Content-Transfer-Encoding: ${encoding}`, '',
      '--BB', 'Content-Type: text/plain', '', 'hello', '--BB--', ''];
    expect(await malformed(lines)).toEqual([]);
  });
});
