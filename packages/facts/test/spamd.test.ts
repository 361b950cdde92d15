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
