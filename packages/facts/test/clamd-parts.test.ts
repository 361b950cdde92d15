import { createServer, type Server, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { scanParts } from '../src/clamd/part-scan';

/**
 * A stand-in clamd speaking INSTREAM: it answers when the zero-length chunk arrives, after a
 * short wait, FOUND for a body containing "EVIL"; it counts scans in progress at once.
 */
async function fakeClamd(): Promise<{ server: Server; port: number; peak: () => number }> {
  let open = 0;
  let peak = 0;
  const server = createServer((socket: Socket) => {
    open++;
    peak = Math.max(peak, open);
    let data = Buffer.alloc(0);
    socket.on('data', (c: Buffer) => {
      data = Buffer.concat([data, c]);
      if (data.length >= 14 && data.subarray(-4).readUInt32BE(0) === 0) {
        setTimeout(() => {
          open--; // counted from connection to answer: within the client's own connect .. close
          socket.end(data.includes('EVIL') ? 'stream: Fake.Evil FOUND\0' : 'stream: OK\0');
        }, 20);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, peak: () => peak };
}

it('scans a message of many parts with at most four clamd connections at once, every part answered', async () => {
  const clamd = await fakeClamd();
  try {
    const parts = Array.from({ length: 12 }, (_, i) => (i === 10 ? 'EVIL payload' : `clean part ${i}`));
    const eml = [
      'Content-Type: multipart/mixed; boundary=X', '',
      ...parts.flatMap((text, i) => ['--X', `Content-Type: application/octet-stream; name="p${i}.bin"`, 'Content-Transfer-Encoding: base64', '', Buffer.from(text).toString('base64')]),
      '--X--', '',
    ].join('\r\n');
    const result = await scanParts({ size: eml.length, open: () => Readable.from([Buffer.from(eml)]) }, { endpoint: { host: '127.0.0.1', port: clamd.port } });
    expect(Object.keys(result)).toHaveLength(12);
    expect(Object.entries(result).filter(([, names]) => names.length > 0)).toEqual([['11', ['Fake.Evil']]]);
    expect(clamd.peak()).toBeLessThanOrEqual(4);
  } finally {
    await new Promise((r) => clamd.server.close(r));
  }
});

it('scans every part of a message past mailsplit\'s 1000 entities (analysis calls it limits; a policy may accept it)', async () => {
  const clamd = await fakeClamd();
  try {
    const parts = Array.from({ length: 1005 }, (_, i) => (i === 1003 ? 'EVIL payload' : `clean part ${i}`));
    const eml = [
      'Content-Type: multipart/mixed; boundary=X', '',
      ...parts.flatMap((text, i) => ['--X', `Content-Type: text/plain; name="p${i}.txt"`, '', text]),
      '--X--', '',
    ].join('\r\n');
    const result = await scanParts({ size: eml.length, open: () => Readable.from([Buffer.from(eml)]) }, { endpoint: { host: '127.0.0.1', port: clamd.port } });
    expect(Object.keys(result)).toHaveLength(1005);
    expect(Object.entries(result).filter(([, names]) => names.length > 0)).toEqual([['1004', ['Fake.Evil']]]);
  } finally {
    await new Promise((r) => clamd.server.close(r));
  }
}, 30_000);
