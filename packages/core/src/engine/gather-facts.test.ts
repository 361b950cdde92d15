import type { FactProviders } from '../facts/facts';
import { loadPolicy } from '../policy/load';
import { gatherFacts } from './gather-facts';
import { input, message, part } from './__fixtures__/model';
import { Readable } from 'node:stream';

const POLICY = loadPolicy(
  `version: 1
lists: { zones: [zen.example, bl.example] }
connect:
  rules:
    - { id: rbl, when: { dnsbl: "@zones" }, do: [ reject ] }
helo:
  rules:
    - { id: helo-dns, when: { helo: { resolves: false } }, do: [ reject ] }
mail:
  rules:
    - { id: sender-dns, when: { sender: { resolves: false } }, do: [ reject ] }
rcpt:
  rules:
    - { id: grey, when: { greylist: pending }, do: [ tempfail ] }
    - { id: all, do: [ accept ] }
    - { id: unreachable, when: { recipient: { resolves: false } }, do: [ reject ] }
data:
  rules:
    - { id: spam, when: { spam: { score: { gte: 5 } } }, do: [ reject ] }
    - { id: virus, when: { virus: true }, do: [ reject ] }
    - { id: virus-part, when: { part: { virus: true } }, do: [ strip ] }
`,
  'p.yaml',
);

const source = { size: 3, open: () => Readable.from(['abc']) };

describe('gatherFacts', () => {
  it('asks only for what the stage needs, with the right arguments', async () => {
    const calls: string[] = [];
    const providers: FactProviders = {
      dnsbl: async (zone, query) => (calls.push(`dnsbl ${zone} ${query}`), zone === 'zen.example' ? ['127.0.0.2'] : []),
      resolves: async (name, of) => (calls.push(`resolves ${name} ${of}`), name !== 'nx.example'),
      greylist: async (t) => (calls.push(`greylist ${t.client} ${t.sender} ${t.recipient}`), 'pending'),
      spam: async () => (calls.push('spam'), { score: 3 }),
      virus: async (_m, _model, perPart) => (calls.push(`virus perPart=${perPart}`), { names: [], parts: {} }),
    };
    const base = input({ client: { ip: '::ffff:203.0.113.9', tls: false, authenticated: false }, sender: 'a@nx.example' });
    expect(await gatherFacts(POLICY, 'connect', base, providers, { timeoutMs: 1000 })).toEqual({ dnsbl: { 'zen.example': ['127.0.0.2'], 'bl.example': [] } });
    expect(await gatherFacts(POLICY, 'helo', base, providers, { timeoutMs: 1000 })).toEqual({ resolves: { 'mail.example.org': true } });
    expect(await gatherFacts(POLICY, 'mail', base, providers, { timeoutMs: 1000 })).toEqual({ resolves: { 'nx.example': false } });
    // The rule after the unconditional accept is unreachable: no DNS for recipients.
    expect(await gatherFacts(POLICY, 'rcpt', { ...base, recipient: 'b@acme.example' }, providers, { timeoutMs: 1000 })).toEqual({ greylist: { 'b@acme.example': 'pending' } });
    const data = await gatherFacts(POLICY, 'data', { ...base, message: message() }, providers, { timeoutMs: 1000, message: source });
    expect(data).toEqual({ spam: { score: 3 }, virus: { names: [], parts: {} } });
    expect(calls).toEqual([
      'dnsbl zen.example 203.0.113.9',
      'dnsbl bl.example 203.0.113.9',
      'resolves mail.example.org host',
      'resolves nx.example domain',
      'greylist 203.0.113.9 a@nx.example b@acme.example',
      'spam',
      'virus perPart=true',
    ]);
  });

  it("asks an RHSBL zone about the sender's domain (an IDN as its A-label), and none about the null sender or an address literal", async () => {
    const policy = loadPolicy('version: 1\nmail:\n  rules:\n    - { id: r, when: { sender: { rhsbl: dbl.example } }, do: [ reject ] }\n', 'p.yaml');
    const calls: string[] = [];
    const providers: FactProviders = { dnsbl: async (zone, query) => (calls.push(`${zone} ${query}`), query === 'spammy.example' ? ['127.0.1.2'] : []) };
    expect(await gatherFacts(policy, 'mail', input({ sender: 'Offers@Spammy.Example' }), providers, { timeoutMs: 1000 })).toEqual({ rhsbl: { 'dbl.example': ['127.0.1.2'] } });
    // No domain a zone could list: listed nowhere, without asking (the null sender's rule is false before its fact is read).
    for (const sender of ['', 'a@[192.0.2.1]', 'a@[IPv6:2001:db8::1]', 'a@localhost']) {
      const facts = await gatherFacts(policy, 'mail', input({ sender }), providers, { timeoutMs: 1000 });
      expect(facts.rhsbl?.['dbl.example'] ?? []).toEqual([]);
    }
    await gatherFacts(policy, 'mail', input({ sender: 'a@Bücher.example' }), providers, { timeoutMs: 1000 });
    expect(calls).toEqual(['dbl.example spammy.example', 'dbl.example xn--bcher-kva.example']);
  });

  it('turns failures, missing providers and a missing message into FactErrors', async () => {
    const providers: FactProviders = { dnsbl: async () => { throw new Error('SERVFAIL'); } };
    const connect = await gatherFacts(POLICY, 'connect', input(), providers, { timeoutMs: 1000 });
    expect(connect.dnsbl!['zen.example']).toEqual({ error: 'dnsbl lookup failed: SERVFAIL' });
    const data = await gatherFacts(POLICY, 'data', input({ message: message() }), {}, { timeoutMs: 1000 });
    // The spam rule's onError (tempfail) ends the stage: the virus rule is never reached, so not scanned.
    expect(data).toEqual({ spam: { error: 'no message to scan' } });
    const noProvider = await gatherFacts(POLICY, 'data', input({ message: message() }), {}, { timeoutMs: 1000, message: source });
    expect(noProvider.spam).toEqual({ error: 'no spam provider is configured' });
  });

  it('aborts a lookup that outlives its budget', async () => {
    let aborted = false;
    const providers: FactProviders = {
      dnsbl: (_zone, _q, ctx) =>
        new Promise((_resolve, reject) => {
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            reject(ctx.signal.reason as Error);
          });
        }),
    };
    const facts = await gatherFacts(POLICY, 'connect', input(), providers, { timeoutMs: 20 });
    expect(facts.dnsbl!['zen.example']).toEqual({ error: 'dnsbl lookup timed out after 20 ms' });
    expect(aborted).toBe(true);
  });
});

describe('gatherFacts for texts', () => {
  const asked = async (yaml: string): Promise<string[]> => {
    const calls: string[] = [];
    const providers: FactProviders = {
      spam: async () => (calls.push('spam'), { score: 7.2, threshold: 5 }),
      virus: async (_m, _model, perPart) => (calls.push(`virus perPart=${perPart}`), { names: [], parts: {} }),
    };
    const model = message({ parts: [part({ path: '1', type: 'application/octet-stream', filename: 'a.exe' })] });
    await gatherFacts(loadPolicy(yaml, 'p.yaml'), 'data', input({ message: model }), providers, { timeoutMs: 1000, message: source });
    return calls;
  };

  it('scans for a rule whose texts alone quote {spam.*} or {virus} (trial I: the header came out empty)', async () => {
    expect(await asked('version: 1\ndata:\n  rules:\n    - { id: tag, do: [ { headers: { add: { X-Spam-Score: "{spam.score}", X-Virus: "{virus}" } } } ] }\n'))
      .toEqual(['spam', 'virus perPart=false']);
    // A notice is per part: its {virus} is the part's, from the scan of parts.
    expect(await asked('version: 1\nnotice: "removed {filename}: {virus}"\ndata:\n  rules:\n    - { id: exe, when: { part: { filename: "*.exe" } }, do: [ strip ] }\n'))
      .toEqual(['virus perPart=true']);
    expect(await asked('version: 1\ndata:\n  rules:\n    - { id: tag, do: [ { headers: { add: { X-Seen: "{sender}" } } } ] }\n')).toEqual([]);
  });
});

describe('gatherFacts memo', () => {
  it('asks each lookup once per memo, across stages and recipients', async () => {
    const p = loadPolicy(
      'version: 1\nrcpt: { rules: [ { id: r, when: { recipient: { resolves: false } }, do: [ reject ] } ] }\ndata: { rules: [ { id: d, when: { recipient: { resolves: false } }, do: [ reject ] } ] }\n',
      'p.yaml',
    );
    const asked: string[] = [];
    const providers: FactProviders = { resolves: async (name) => (asked.push(name), true) };
    const memo = new Map();
    const opts = { timeoutMs: 1000, memo };
    await gatherFacts(p, 'rcpt', input({ recipient: 'a@acme.example' }), providers, opts);
    await gatherFacts(p, 'rcpt', input({ recipient: 'b@acme.example' }), providers, opts);
    const data = await gatherFacts(p, 'data', input({ recipients: ['a@acme.example', 'c@other.example'], message: message() }), providers, opts);
    expect(data).toEqual({ resolves: { 'acme.example': true, 'other.example': true } });
    expect(asked).toEqual(['acme.example', 'other.example']);
  });
});
