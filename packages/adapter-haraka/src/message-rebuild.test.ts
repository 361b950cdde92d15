import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { HarakaConnection } from './haraka-types';
import { readMessage } from './message-content';
import { replaceMessage } from './message-rebuild';
import { PluginUnderTest, withMessage } from '../test/support/plugin-under-test';

describe('replaceMessage: a rewritten message back into a Haraka transaction', () => {
  let t: PluginUnderTest;
  beforeEach(() => {
    t = new PluginUnderTest({});
  });
  afterEach(() => t.cleanup());

  async function transaction(message: string): Promise<HarakaConnection> {
    const conn = t.connection({ helo: 'client.example.org' });
    await withMessage(conn, { from: 'a@example.org', to: ['b@acme.example'] }, message);
    return conn;
  }

  it('keeps the same header_list, updates Haraka\'s Header, and a later add_header still applies', async () => {
    const conn = await transaction('Subject: old\nX-Drop: 1\n\nbody\n');
    const txn = conn.transaction!;
    const list = txn.header.header_list;
    const rewritten = 'Subject: new\r\nX-Folded: a\r\n b\r\n\r\n.dot line\r\nbody\r\n';
    await replaceMessage(txn, Buffer.from(rewritten));
    expect(txn.header.header_list).toBe(list);
    expect(txn.header.get('Subject')).toBe('new\n'); // Haraka keeps the line end in values
    expect(txn.header.get('X-Drop')).toBe('');
    expect(txn.header.get_all('X-Folded')).toHaveLength(1);
    expect((await readMessage(txn.message_stream)).toString()).toBe(rewritten);
    txn.add_header('X-Later', 'yes');
    expect((await readMessage(txn.message_stream)).toString()).toBe(
      'Subject: new\r\nX-Folded: a\r\n b\r\nX-Later: yes\r\n\r\n.dot line\r\nbody\r\n',
    );
  });

  it('stores lines dot-stuffed, as a queue plugin reading with dot_stuffed: false expects', async () => {
    const conn = await transaction('Subject: x\n\nbody\n');
    const txn = conn.transaction!;
    await replaceMessage(txn, Buffer.from('Subject: x\r\n\r\n.\r\n..two\r\n'));
    const raw = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on('data', (c: Buffer) => chunks.push(c));
      sink.on('end', () => resolve(Buffer.concat(chunks).toString()));
      txn.message_stream.pipe(sink, { dot_stuffed: false });
    });
    expect(raw).toBe('Subject: x\r\n\r\n..\r\n...two\r\n');
  });

  it('copes with a message that is only a header block', async () => {
    const conn = await transaction('Subject: x\n\nbody\n');
    const txn = conn.transaction!;
    await replaceMessage(txn, Buffer.from('Subject: y\r\n'));
    expect(txn.header.get('Subject')).toBe('y\n');
    expect((await readMessage(txn.message_stream)).toString()).toBe('Subject: y\r\n\r\n');
  });

  it('ends the message with CRLF so the final dot of a queue plugin stays on its own line', async () => {
    const conn = await transaction('Subject: x\n\nbody\n');
    const txn = conn.transaction!;
    await replaceMessage(txn, Buffer.from('Subject: x\r\n\r\nno line end'));
    expect((await readMessage(txn.message_stream)).toString()).toBe('Subject: x\r\n\r\nno line end\r\n');
  });

  describe('a message Haraka spooled to disk (over spool_after)', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'mailward-spool-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    async function spooledTransaction(message: string): Promise<HarakaConnection> {
      const conn = t.connection({ helo: 'client.example.org' }) as ReturnType<PluginUnderTest['connection']> & { cfg: { main?: Record<string, unknown> } };
      conn.cfg = { ...conn.cfg, main: { ...conn.cfg.main, spool_after: 64, spool_dir: dir } };
      await withMessage(conn, { from: 'a@example.org', to: ['b@acme.example'] }, message);
      return conn;
    }

    it('is rebuilt into a spool file of its own (the received one holds the uuid), and that one is read', async () => {
      const body = `${'line of the body\r\n'.repeat(20)}`;
      const conn = await spooledTransaction(`Subject: old\n\n${body}`);
      const txn = conn.transaction!;
      expect(readdirSync(dir)).toEqual([`${txn.uuid}.eml`]); // Haraka spooled it
      const rewritten = `Subject: [EXT] old\r\n\r\n${body}`;
      await replaceMessage(txn, Buffer.from(rewritten));
      expect((await readMessage(txn.message_stream)).toString()).toBe(rewritten);
      // The received stream's file goes with it (destroy unlinks it; give the unlink a moment).
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readdirSync(dir)).toEqual([expect.stringMatching(/\.mailward-\d+\.eml$/)]);
    });

    it('keeps Haraka\'s error handler of the received stream on the rebuilt one', async () => {
      const conn = await spooledTransaction(`Subject: old\n\n${'x'.repeat(200)}\n`);
      const txn = conn.transaction!;
      const heard: Error[] = [];
      txn.message_stream.on('error', (err) => heard.push(err));
      await replaceMessage(txn, Buffer.from(`Subject: new\r\n\r\n${'y'.repeat(200)}\r\n`));
      (txn.message_stream as unknown as { emit(e: string, err: Error): void }).emit('error', new Error('EIO reading back'));
      expect(heard.map((e) => e.message)).toEqual(['EIO reading back']);
    });

    it('fails the rebuild, not the process, when the spool file cannot be made', async () => {
      const conn = await spooledTransaction(`Subject: old\n\n${'x'.repeat(200)}\n`);
      const txn = conn.transaction!;
      rmSync(dir, { recursive: true, force: true }); // the spool directory is gone
      await expect(replaceMessage(txn, Buffer.from(`Subject: new\r\n\r\n${'y'.repeat(200)}\r\n`))).rejects.toThrow(/ENOENT/);
    });
  });
});
