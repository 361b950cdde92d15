import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { clamdProvider } from '../src/clamd/clamd-provider';
import { scanStream } from '../src/clamd/instream';
import { available, CLAM_EXE, EICAR, freePort, startClamd, type Service } from './services';

const maybe = available('clamd') ? describe : describe.skip;
const source = (text: string | Buffer) => ({ size: text.length, open: () => Readable.from([Buffer.from(text)]) });
const ctx = () => ({ signal: new AbortController().signal });

/** A stored (uncompressed) zip holding one file: enough for clamd to open. */
function zipOf(name: string, data: Buffer): Buffer {
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc32(data), 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(10, 4); central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc32(data), 16); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + n.length, 12); end.writeUInt32LE(30 + n.length + data.length, 16);
  return Buffer.concat([local, n, data, central, n, end]);
}

function crc32(data: Buffer): number {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function mail(parts: { name: string; type: string; data: Buffer }[]): string {
  return [
    'From: a@example.org', 'To: b@acme.example', 'Subject: files', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=X', '',
    '--X', 'Content-Type: text/plain', '', 'hello',
    ...parts.flatMap((p) => ['--X', `Content-Type: ${p.type}; name="${p.name}"`, 'Content-Transfer-Encoding: base64', '', p.data.toString('base64')]),
    '--X--', '',
  ].join('\r\n');
}

maybe('clamd (real, INSTREAM)', () => {
  let clamd: Service;
  beforeAll(async () => {
    clamd = await startClamd('64K');
  }, 90_000);
  afterAll(() => clamd?.stop());
  const options = () => ({ endpoint: { host: '127.0.0.1', port: clamd.port }, timeoutMs: 20_000 });

  it('finds EICAR and passes clean data', async () => {
    expect(await scanStream(Readable.from([Buffer.from(EICAR)]), options())).toEqual(['Mailward.Test.EICAR.UNOFFICIAL']);
    expect(await scanStream(Readable.from([Buffer.from('hello world')]), options())).toEqual([]);
  });

  it('finds EICAR in a zip attachment of a message', async () => {
    const eml = mail([{ name: 'eicar.zip', type: 'application/zip', data: zipOf('eicar.com', Buffer.from(EICAR)) }]);
    const fact = await clamdProvider(options()).virus(source(eml), undefined, false, ctx());
    expect(fact.names).toEqual(['Mailward.Test.EICAR.UNOFFICIAL']);
  });

  it('scans parts one by one, naming the infected part by its path', async () => {
    const eml = mail([
      { name: 'report.pdf', type: 'application/pdf', data: Buffer.from('%PDF-1.4 clean') },
      { name: 'eicar.com', type: 'application/octet-stream', data: Buffer.from(EICAR) },
    ]);
    const fact = await clamdProvider(options()).virus(source(eml), undefined, true, ctx());
    expect(fact.parts).toEqual({ '1': [], '2': [], '3': ['Mailward.Test.EICAR.UNOFFICIAL'] });
  });

  (existsSync(CLAM_EXE) ? it : it.skip)('finds clamav-testfiles clam.exe by its hash', async () => {
    expect(await scanStream(Readable.from([readFileSync(CLAM_EXE)]), options())).toEqual(['Mailward.Test.ClamExe.UNOFFICIAL']);
  });

  it('treats a stream over StreamMaxLength as an error, never as clean', async () => {
    const big = Buffer.alloc(256 * 1024, 0x41);
    await expect(scanStream(Readable.from([big]), options())).rejects.toThrow(/^clamd 127\.0\.0\.1:\d+: (INSTREAM size limit exceeded|.*is it larger than clamd's StreamMaxLength\?)/);
  });

  it('fails (not clean) when clamd is down', async () => {
    const port = await freePort();
    await expect(scanStream(Readable.from([Buffer.from('x')]), { endpoint: { host: '127.0.0.1', port } })).rejects.toThrow(/clamd 127\.0\.0\.1/);
  });
});


describe('clamd failures say what happened', () => {
  it('names a refused connection', async () => {
    const port = await freePort();
    await expect(scanStream(Readable.from([Buffer.from(EICAR)]), { endpoint: { host: '127.0.0.1', port } }))
      .rejects.toThrow(`clamd 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('quotes an answer that is not clamd\'s, once', async () => {
    const server = createServer({ allowHalfOpen: true }, (c) => {
      c.on('error', () => undefined);
      c.once('data', () => c.end('HELLO\n'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(scanStream(Readable.from([Buffer.from('hello')]), { endpoint: { host: '127.0.0.1', port } })).rejects.toThrow(new Error(`clamd 127.0.0.1:${port}: HELLO`));
    } finally {
      server.close();
    }
  });
});
