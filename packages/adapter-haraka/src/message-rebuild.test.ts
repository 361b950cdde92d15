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
});
