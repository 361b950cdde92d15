/** A spamd that cannot be asked is named in the error, as a clamd is: `spamd HOST:PORT: why`. */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { checkSpam } from '../src/spamd/spamc';
import { freePort } from './services';

const text = 'From: a@example.org\r\nTo: b@acme.example\r\nSubject: hello\r\n\r\nx\r\n';
const message = (): Readable => Readable.from([Buffer.from(text)]);

it('names the endpoint when spamd refuses the connection', async () => {
  const port = await freePort();
  await expect(checkSpam(message(), text.length, { endpoint: { host: '127.0.0.1', port } })).rejects.toThrow(`spamd 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
});

it('names the endpoint when spamd never answers', async () => {
  const held: Socket[] = [];
  const silent = createServer((c) => void held.push(c));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const { port } = silent.address() as AddressInfo;
  try {
    await expect(checkSpam(message(), text.length, { endpoint: { host: '127.0.0.1', port }, timeoutMs: 200 })).rejects.toThrow(`spamd 127.0.0.1:${port}: no answer within 200 ms`);
  } finally {
    for (const c of held) c.destroy();
    await new Promise((r) => silent.close(r));
  }
});
