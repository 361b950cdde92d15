import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { receiveFile } from '../src/spool/received-file';

describe('receiveFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mw-received-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

  it.each([['a small message, held and written at the end', 5 * 1024, true], ['a big one, streamed to disk', 600 * 1024, false]])('%s', async (_what, size, held) => {
    const data = Buffer.alloc(size, 0x61);
    const file = join(dir, `${size}.eml`);
    const chunks = Array.from({ length: Math.ceil(size / 16384) }, (_, i) => data.subarray(i * 16384, (i + 1) * 16384));
    const got = await receiveFile(file, Readable.from(chunks));
    expect(got).toMatchObject({ size, sha256: sha(data) });
    expect(got.bytes !== undefined).toBe(held);
    expect(readFileSync(file).equals(data)).toBe(true);
  });

  it('removes the file and fails when DATA stops partway', async () => {
    const file = join(dir, 'cut.eml');
    const data = new PassThrough();
    const received = receiveFile(file, data);
    data.write(Buffer.alloc(400 * 1024, 0x62)); // past what is held: the file exists
    await new Promise((r) => setTimeout(r, 50));
    data.destroy();
    await expect(received).rejects.toThrow(/before its end/);
    expect(existsSync(file)).toBe(false);
  });

  it('fails with why the file could not be written, not why it could not be removed after', async () => {
    // A path under a regular file: open fails with ENOTDIR, and so does the unlink after it.
    const file = join(__filename, 'x.eml');
    await expect(receiveFile(file, Readable.from([Buffer.from('Subject: x\r\n\r\ny\r\n')]))).rejects.toThrow(/ENOTDIR.*open/);
  });
});
