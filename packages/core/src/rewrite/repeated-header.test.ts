import { Readable } from 'node:stream';
import { analyze } from '../message/analyze';
import { rewrite } from './rewrite';

// The last part's header block is cut short by the closing delimiter: no blank line, no body.
const MESSAGE = Buffer.from([
  'From: a@example.org', 'Content-Type: multipart/mixed; boundary="B"', '', '--B', 'Content-Type: text/plain', '', 'hello',
  '--B', 'Content-Type: message/rfc822', 'Content-Disposition: attachment', 'X-A: 1', '--B--', 'epilogue', '',
].join('\r\n'));

const cutAt = (at: number): Readable => Readable.from([MESSAGE.subarray(0, at), MESSAGE.subarray(at)].filter((c) => c.length > 0));

async function rewritten(input: Readable): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of rewrite(input, [{ type: 'addHeader', rule: 'r', name: 'X-T', value: 'y' }]) as AsyncIterable<Buffer>) out.push(c);
  return Buffer.concat(out).toString('latin1');
}

describe('a part whose header block the closing delimiter cuts short', () => {
  it('is written once, however the input is cut', async () => {
    const expected = `X-T: y\r\n${MESSAGE.toString('latin1')}`;
    for (let at = 0; at <= MESSAGE.length; at++) expect([at, await rewritten(cutAt(at))]).toEqual([at, expected]);
  });

  it('is no part header text in the epilogue, however the input is cut', async () => {
    const whole = await analyze(cutAt(0));
    expect(whole.malformed.map((m) => m.detail).join('\n')).not.toMatch(/preamble or epilogue/);
    expect(whole.parts.map((p) => p.path)).toEqual(['0', '1', '2', '2/0']);
    for (let at = 1; at < MESSAGE.length; at++) expect([at, await analyze(cutAt(at))]).toEqual([at, whole]);
  });

  it('keeps the epilogue text that follows the delimiter', async () => {
    // A reader that opens header lines after the closing delimiter must still be told of them.
    const hidden = Buffer.concat([MESSAGE, Buffer.from('Content-Type: application/x-msdownload; name="a.exe"\r\n')]);
    for (const at of [0, hidden.indexOf('--B--'), hidden.indexOf('X-A')]) {
      const chunks = [hidden.subarray(0, at), hidden.subarray(at)].filter((c) => c.length > 0);
      const m = await analyze(Readable.from(chunks));
      expect(m.malformed.map((x) => x.detail)).toContain('part header lines in the preamble or epilogue, which some readers open as a part');
    }
  });
});
