import { createServer, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { checkSpam } from '../src/spamd/spamc';
import { createFactProviders } from '../src/create-providers';
import { available, freePort, startSpamd, type Service } from './services';

const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
const mail = (body: string) => `From: a@example.org\r\nTo: b@acme.example\r\nSubject: hello\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\n${body}\r\n`;
const maybe = available('spamd') ? describe : describe.skip;

maybe('spamd (real, SPAMC/1.5)', () => {
  let spamd: Service;
  beforeAll(async () => {
    spamd = await startSpamd();
  }, 150_000);
  afterAll(() => spamd?.stop());
  const options = () => ({ endpoint: { host: '127.0.0.1', port: spamd.port }, timeoutMs: 60_000 });

  it('scores GTUBE at 1000 or more, with its rule among the symbols', async () => {
    const text = mail(GTUBE);
    const fact = await checkSpam(Readable.from([Buffer.from(text)]), text.length, options());
    expect(fact.score).toBeGreaterThanOrEqual(1000);
    expect(fact.threshold).toBe(5);
    expect(fact.symbols).toContain('GTUBE');
  }, 60_000);

  it('gives the report when asked', async () => {
    const text = mail(GTUBE);
    const fact = await checkSpam(Readable.from([Buffer.from(text)]), text.length, { ...options(), report: true });
    expect(fact.report).toMatch(/GTUBE/);
  }, 60_000);

  it('scores ordinary mail low, through createFactProviders', async () => {
    const text = mail('Lunch at noon? Bring the quarterly figures.');
    const { providers } = createFactProviders({ spamd: options() });
    const fact = await providers.spam!({ size: text.length, open: () => Readable.from([Buffer.from(text)]) }, { signal: new AbortController().signal });
    expect(fact.score).toBeLessThan(5);
  }, 60_000);

  it('fails when spamd is down', async () => {
    const port = await freePort();
    const text = mail('x');
    await expect(checkSpam(Readable.from([Buffer.from(text)]), text.length, { endpoint: { host: '127.0.0.1', port } })).rejects.toThrow();
  });
});

it('reports a message over the size limit as not scanned, without asking spamd', async () => {
  const text = mail('x'.repeat(2000));
  const fact = await checkSpam(Readable.from([Buffer.from(text)]), text.length, { endpoint: { host: '127.0.0.1', port: await freePort() }, maxSize: 1000 });
  expect(fact.notScanned).toMatch(/over the 1000 byte limit/);
});

describe('a spamd answer that is not a score', () => {
  /** A server that answers every request with `answer`, as a broken spamd (or something else on its port) would. */
  const answering = (answer: string): Promise<{ port: number; close(): void }> =>
    new Promise((resolve) => {
      const server = createServer({ allowHalfOpen: true }, (c) => {
        c.on('error', () => undefined);
        c.once('data', () => c.end(answer));
      });
      server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as AddressInfo).port, close: () => server.close() }));
    });

  it.each([
    ['1.2.3', 'SPAMD/1.5 0 EX_OK\r\nSpam: True ; 1.2.3 / 5.0\r\n\r\nGTUBE'],
    ['.', 'SPAMD/1.5 0 EX_OK\r\nSpam: False ; . / 5.0\r\n\r\n'],
    ['nan', 'SPAMD/1.5 0 EX_OK\r\nSpam: True ; nan / 5.0\r\n\r\n'],
  ])('fails on a score of "%s" instead of passing it as clean', async (_score, answer) => {
    const server = await answering(answer);
    const text = mail('x');
    try {
      await expect(checkSpam(Readable.from([Buffer.from(text)]), text.length, { endpoint: { host: '127.0.0.1', port: server.port } })).rejects.toThrow(/no score in "Spam: /);
    } finally {
      server.close();
    }
  });

  it('still reads a negative score', async () => {
    const server = await answering('SPAMD/1.5 0 EX_OK\r\nSpam: False ; -3.5 / 5.0\r\n\r\nALL_TRUSTED');
    const text = mail('x');
    try {
      expect(await checkSpam(Readable.from([Buffer.from(text)]), text.length, { endpoint: { host: '127.0.0.1', port: server.port } })).toEqual({ score: -3.5, threshold: 5, symbols: ['ALL_TRUSTED'] });
    } finally {
      server.close();
    }
  });
});
