import type { FactProviders } from '../facts/facts';
import { loadPolicy } from '../policy/load';
import { evaluate } from './evaluate';
import { gatherFacts } from './gather-facts';
import { lookUp } from './look-up';
import { input, message } from './__fixtures__/model';
import type { StageInput } from './input';
import type { Stage } from './stage';
import { Readable } from 'node:stream';

// Lookups are asked for in rule order, only for rules that get to need them: a refused
// recipient must not make the gateway probe the hub, write a greylist entry or wait for Redis.
const RCPT = loadPolicy(
  `version: 1
rcpt:
  rules:
    - { id: not-ours, when: { not: { recipient: "*@acme.example" } }, do: [ { reject: { code: 550, status: 5.7.1, text: Relaying denied } } ] }
    - { id: grey-only, when: { recipient: "grey*@acme.example", greylist: pending }, do: [ tempfail ] }
    - { id: unknown, when: { recipient: { exists: false } }, do: [ { reject: { code: 550, status: 5.1.1, text: No such user } } ] }
    - { id: grey, when: { greylist: pending }, do: [ tempfail ] }
    - { id: ok, do: [ accept ] }
`,
  'rcpt.yaml',
);

/** Providers that record each call; greylist says pending, the hub knows only known@ and grey@. */
function counting(): { calls: string[]; providers: FactProviders } {
  const calls: string[] = [];
  return {
    calls,
    providers: {
      greylist: async (t) => (calls.push(`greylist ${t.recipient}`), 'pending'),
      recipientExists: async (a) => (calls.push(`exists ${a}`), a.startsWith('known@') || a.startsWith('grey')),
      dnsbl: async (zone) => (calls.push(`dnsbl ${zone}`), []),
      spam: async () => (calls.push('spam'), { score: 7 }),
      virus: async () => (calls.push('virus'), { names: [], parts: {} }),
    },
  };
}

const rcpt = (recipient: string): StageInput => input({ sender: 'a@example.org', recipient });

describe('gatherFacts in rule order', () => {
  it('asks nothing for a recipient an earlier rule refuses', async () => {
    const { calls, providers } = counting();
    const facts = await gatherFacts(RCPT, 'rcpt', rcpt('victim@elsewhere.example'), providers, { timeoutMs: 1000 });
    expect(facts).toEqual({});
    expect(evaluate(RCPT, 'rcpt', rcpt('victim@elsewhere.example'), facts)).toMatchObject({ verdict: 'reject', rule: 'not-ours' });
    expect(calls).toEqual([]);
  });

  it('does not ask for a fact whose rule cannot match on its other conditions, and asks once a rule needs it', async () => {
    const { calls, providers } = counting();
    // bob@ is not grey*: grey-only asks nothing; the hub says bob does not exist, so the greylist is never written.
    const bob = await gatherFacts(RCPT, 'rcpt', rcpt('bob@acme.example'), providers, { timeoutMs: 1000 });
    expect(evaluate(RCPT, 'rcpt', rcpt('bob@acme.example'), bob)).toMatchObject({ verdict: 'reject', rule: 'unknown' });
    expect(calls).toEqual(['exists bob@acme.example']);
    calls.length = 0;
    const known = await gatherFacts(RCPT, 'rcpt', rcpt('known@acme.example'), providers, { timeoutMs: 1000 });
    expect(evaluate(RCPT, 'rcpt', rcpt('known@acme.example'), known)).toMatchObject({ verdict: 'tempfail', rule: 'grey' });
    expect(calls).toEqual(['exists known@acme.example', 'greylist known@acme.example']);
    calls.length = 0;
    // grey1@ matches grey-only's pattern: the greylist is asked there, before the verification.
    const grey = await gatherFacts(RCPT, 'rcpt', rcpt('grey1@acme.example'), providers, { timeoutMs: 1000 });
    expect(evaluate(RCPT, 'rcpt', rcpt('grey1@acme.example'), grey)).toMatchObject({ verdict: 'tempfail', rule: 'grey-only' });
    expect(calls).toEqual(['greylist grey1@acme.example']);
  });

  it("a failed fact goes to its rule's onError: tempfail asks nothing after it, skip goes on", async () => {
    const failing = (onError: string): ReturnType<typeof loadPolicy> =>
      loadPolicy(
        `version: 1\nrcpt:\n  rules:\n    - { id: verify, when: { recipient: { exists: false } }, onError: ${onError}, do: [ reject ] }\n    - { id: grey, when: { greylist: pending }, do: [ tempfail ] }\n    - { id: ok, do: [ accept ] }\n`,
        'p.yaml',
      );
    const calls: string[] = [];
    const providers: FactProviders = {
      recipientExists: async () => { calls.push('exists'); throw new Error('hub 10.0.0.10:25: ECONNREFUSED'); },
      greylist: async () => (calls.push('greylist'), 'pass'),
    };
    const tempfail = await gatherFacts(failing('tempfail'), 'rcpt', rcpt('b@acme.example'), providers, { timeoutMs: 1000 });
    expect(tempfail).toEqual({ recipientExists: { 'b@acme.example': { error: 'recipient verification lookup failed: hub 10.0.0.10:25: ECONNREFUSED' } } });
    expect(evaluate(failing('tempfail'), 'rcpt', rcpt('b@acme.example'), tempfail)).toMatchObject({ verdict: 'tempfail', rule: 'verify' });
    expect(calls).toEqual(['exists']);
    calls.length = 0;
    const skip = await gatherFacts(failing('skip'), 'rcpt', rcpt('b@acme.example'), providers, { timeoutMs: 1000 });
    expect(evaluate(failing('skip'), 'rcpt', rcpt('b@acme.example'), skip)).toMatchObject({ verdict: 'accept', rule: 'ok' });
    expect(calls).toEqual(['exists', 'greylist']);
  });

  it('asks the DNS zones of later rules together with the first, in parallel', async () => {
    const p = loadPolicy('version: 1\nconnect:\n  rules:\n    - { id: a, when: { dnsbl: a.example }, do: [ reject ] }\n    - { id: b, when: { dnsbl: b.example }, do: [ reject ] }\n', 'p.yaml');
    let inFlight = 0;
    let most = 0;
    const providers: FactProviders = {
      dnsbl: async () => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight--;
        return [];
      },
    };
    expect(await gatherFacts(p, 'connect', input(), providers, { timeoutMs: 1000 })).toEqual({ dnsbl: { 'a.example': [], 'b.example': [] } });
    expect(most).toBe(2);
  });

  it('scans with spamd and clamd only when a rule gets to need them, and for a template that quotes them', async () => {
    const source = { size: 3, open: () => Readable.from(['abc']) };
    const p = loadPolicy(
      `version: 1
data:
  rules:
    - { id: big, when: { size: { gt: 1000 } }, do: [ reject ] }
    - { id: tag, when: { header: { name: Subject, value: "*" } }, do: [ { headers: { add: { X-Score: "{spam.score}" } } } ] }
    - { id: virus, when: { virus: true }, do: [ reject ] }
    - { id: spam, when: { spam: { score: { gte: 5 } } }, do: [ reject ] }
`,
      'p.yaml',
    );
    const { calls, providers } = counting();
    const big = input({ message: message({ size: 5000 }) });
    expect(await gatherFacts(p, 'data', big, providers, { timeoutMs: 1000, message: source })).toEqual({});
    expect(calls).toEqual([]);
    const small = input({ message: message({ size: 10 }) });
    // clamd finds a virus, so the spam rule is never reached: the tag rule's {spam.score} still has spamd's answer.
    const infected = { ...providers, virus: async () => (calls.push('virus'), { names: ['Eicar-Test-Signature'], parts: {} }) };
    const facts = await gatherFacts(p, 'data', small, infected, { timeoutMs: 1000, message: source });
    expect(calls.sort()).toEqual(['spam', 'virus']);
    expect(evaluate(p, 'data', small, facts)).toMatchObject({ verdict: 'reject', rule: 'virus', effects: [expect.objectContaining({ type: 'addHeader', value: '7' })] });
  });
});

// Whatever was left unasked, the decision is the one every fact at hand gives.
describe('gatherFacts in rule order decides as all facts would', () => {
  const all = async (policy: ReturnType<typeof loadPolicy>, stage: Stage, i: StageInput, providers: FactProviders): Promise<ReturnType<typeof evaluate>> => {
    const facts = {};
    await lookUp(policy.stages[stage].needs, facts, stage, i, providers, { timeoutMs: 1000 }, false);
    return evaluate(policy, stage, i, facts);
  };
  it.each(['victim@elsewhere.example', 'bob@acme.example', 'known@acme.example', 'grey1@acme.example', 'greyx@acme.example'])('%s', async (recipient) => {
    const { providers } = counting();
    const lazy = evaluate(RCPT, 'rcpt', rcpt(recipient), await gatherFacts(RCPT, 'rcpt', rcpt(recipient), providers, { timeoutMs: 1000 }));
    const eager = await all(RCPT, 'rcpt', rcpt(recipient), providers);
    expect({ ...lazy, trace: undefined }).toEqual({ ...eager, trace: undefined });
  });
});
