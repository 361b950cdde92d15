/**
 * The Endian example policy decided with real answers: clamd, spamd, a DNSBL zone on a loopback
 * DNS server, and greylisting. Facts are gathered the way the gateway gathers them.
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { analyze, evaluate, gatherFacts, loadPolicyFile, type CompiledPolicy, type FactProviders, type StageInput } from '@mailward/core';
import { createFactProviders, type FactsHandle } from '../src/create-providers';
import { startDns } from './dns-server';
import { available, EICAR, freePort, startClamd, startSpamd, type Service } from './services';

const POLICY = join(__dirname, '../../../examples/endian/policy.yaml');
const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
const runs = available('clamd') && available('spamd');
const maybe = runs ? describe : describe.skip;

function message(body: string, attachment?: { name: string; data: Buffer }): Buffer {
  const lines = [
    'From: a@example.org', 'To: bob@acme.example', 'Subject: hello', 'Date: Sun, 22 Nov 2026 10:00:00 +0000',
    'Message-ID: <t@example.org>', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=X', '',
    '--X', 'Content-Type: text/plain', '', body,
  ];
  if (attachment) lines.push('--X', `Content-Type: application/octet-stream; name="${attachment.name}"`, 'Content-Transfer-Encoding: base64', '', attachment.data.toString('base64'));
  lines.push('--X--', '');
  return Buffer.from(lines.join('\r\n'));
}

async function decideData(policy: CompiledPolicy, providers: FactProviders, raw: Buffer) {
  const model = await analyze(Readable.from([raw]));
  const input: StageInput = { client: { ip: '198.51.100.200', tls: false, authenticated: false }, sender: 'a@example.org', recipients: ['bob@acme.example'], message: model };
  const facts = await gatherFacts(policy, 'data', input, providers, { timeoutMs: 20_000, model, message: { size: raw.length, open: () => Readable.from([raw]) } });
  return evaluate(policy, 'data', input, facts);
}

maybe('Endian example with real services', () => {
  let clamd: Service;
  let spamd: Service;
  let dns: Awaited<ReturnType<typeof startDns>>;
  let facts: FactsHandle;
  const policy = loadPolicyFile(POLICY);

  beforeAll(async () => {
    [clamd, spamd, dns] = await Promise.all([
      startClamd(),
      startSpamd(),
      startDns({ a: { '66.2.0.192.zen.spamhaus.example': ['127.0.0.2'], 'spammy.example.dbl.spamhaus.example': ['127.0.1.2'] } }),
    ]);
    facts = createFactProviders({
      clamd: { endpoint: { host: '127.0.0.1', port: clamd.port } },
      spamd: { endpoint: { host: '127.0.0.1', port: spamd.port }, timeoutMs: 60_000 },
      dns: { servers: [dns.server], timeoutMs: 1000 },
      greylist: { delay: 30 },
    });
  }, 180_000);
  afterAll(async () => {
    await facts?.close();
    await Promise.all([clamd?.stop(), spamd?.stop(), dns?.close()]);
  });

  it('refuses a listed client at connect with 554', async () => {
    const input: StageInput = { client: { ip: '192.0.2.66', tls: false, authenticated: false }, recipients: [] };
    const d = evaluate(policy, 'connect', input, await gatherFacts(policy, 'connect', input, facts.providers, { timeoutMs: 2000 }));
    expect(d).toMatchObject({ verdict: 'reject', rule: 'rbl', reply: { code: 554 } });
    const clean: StageInput = { client: { ip: '192.0.2.99', tls: false, authenticated: false }, recipients: [] };
    expect(evaluate(policy, 'connect', clean, await gatherFacts(policy, 'connect', clean, facts.providers, { timeoutMs: 2000 })).verdict).toBe('accept');
  });

  it("refuses a sender whose domain an RHSBL lists, at MAIL FROM with 554", async () => {
    const decideMail = async (sender: string) => {
      const input: StageInput = { client: { ip: '198.51.100.200', tls: false, authenticated: false }, sender, recipients: [] };
      return evaluate(policy, 'mail', input, await gatherFacts(policy, 'mail', input, facts.providers, { timeoutMs: 2000 }));
    };
    expect(await decideMail('offers@spammy.example')).toMatchObject({ verdict: 'reject', rule: 'rhsbl', reply: { code: 554 } });
    expect((await decideMail('friend@example.org')).verdict).toBe('accept');
  });

  it('greylists the first try with 451', async () => {
    const input: StageInput = { client: { ip: '198.51.100.200', tls: false, authenticated: false }, sender: 'new@example.org', recipient: 'bob@acme.example', recipients: [] };
    const d = evaluate(policy, 'rcpt', input, await gatherFacts(policy, 'rcpt', input, facts.providers, { timeoutMs: 2000 }));
    expect(d).toMatchObject({ verdict: 'tempfail', rule: 'greylist', reply: { code: 451 } });
  });

  it('quarantines EICAR in an attachment', async () => {
    const d = await decideData(policy, facts.providers, message('see attached', { name: 'eicar.com', data: Buffer.from(EICAR) }));
    expect(d).toMatchObject({ verdict: 'quarantine', rule: 'virus', quarantine: { reason: 'virus', notify: ['virus-admin@acme.example'] } });
  }, 60_000);

  it('quarantines GTUBE (score >= 10) and lets ordinary mail through', async () => {
    expect(await decideData(policy, facts.providers, message(GTUBE))).toMatchObject({ verdict: 'quarantine', rule: 'spam-quarantine' });
    const ham = await decideData(policy, facts.providers, message('Lunch at noon? Bring the quarterly figures.'));
    expect(ham.verdict).toBe('accept');
  }, 90_000);

  it('tempfails (451) when clamd is down: never passes unscanned', async () => {
    const down = createFactProviders({
      clamd: { endpoint: { host: '127.0.0.1', port: await freePort() } },
      spamd: { endpoint: { host: '127.0.0.1', port: spamd.port }, timeoutMs: 60_000 },
    });
    const d = await decideData(policy, down.providers, message('hello'));
    expect(d).toMatchObject({ verdict: 'tempfail', reply: { code: 451 } });
  }, 60_000);
});
