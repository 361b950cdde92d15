import type { Decision } from '../engine/decision';
import type { MessageModel } from '../message/model';
import { PolicyTester, type TestHost } from './policy-tester';

// The tester's own rules (strictness, coverage) checked against a stand-in engine: the session
// accepts recipients at acme.example (rule `ours`) and strips parts named *.bat (rule `bat`).
jest.mock('../index', () => {
  const reply = (code: number, status: string, text: string) => ({ code, status, text });
  return {
    PolicyError: class PolicyError extends Error {},
    analyze: async (stream: AsyncIterable<Buffer>) => {
      let text = '';
      for await (const chunk of stream) text += chunk.toString();
      const model: Partial<MessageModel> = { headers: [], parts: [], malformed: [] };
      return { ...model, text };
    },
    runSession: (_policy: unknown, s: { recipients: string[]; message: { text: string } }) => {
      const ok = s.recipients.filter((r) => r.endsWith('@acme.example'));
      const recipients = s.recipients.map((address) =>
        ok.includes(address)
          ? { address, verdict: 'accept', reply: reply(250, '2.1.5', 'OK') }
          : { address, verdict: 'reject', reply: reply(550, '5.7.1', 'Relaying denied') },
      );
      const fired = ok.length > 0 ? ['ours'] : [];
      const effects: unknown[] = [];
      if (ok.length > 0 && s.message.text.includes('junk.bat')) {
        fired.push('bat');
        effects.push({ type: 'stripPart', rule: 'bat', part: { path: '2', carrier: '2', type: 'text/plain', filename: 'junk.bat', size: 3 }, notice: 'removed' });
      }
      const decisions: Partial<Decision>[] = [];
      return ok.length > 0
        ? { verdict: 'accept', stage: 'data', reply: reply(250, '2.0.0', 'OK'), recipients, fired, effects, decisions }
        : { verdict: 'reject', stage: 'rcpt', reply: reply(550, '5.7.1', 'Relaying denied'), recipients, fired, effects, decisions };
    },
  };
});

jest.mock('./policy-file', () => ({
  loadPolicyWithTests: () => {
    const stage = (...ids: string[]) => ({ rules: ids.map((id) => ({ id })), needs: [] });
    return { stages: { connect: stage(), helo: stage(), mail: stage(), rcpt: stage('ours'), data: stage('bat', 'never') } };
  },
}));

interface Registered {
  title: string;
  body: () => void | Promise<void>;
}

/** A host that records what the tester registers, so each test can be run and its outcome read. */
function recorder(): { host: TestHost; tests: Registered[] } {
  const tests: Registered[] = [];
  const prefix: string[] = [];
  const host: TestHost = {
    describe: (title, body) => {
      prefix.push(title);
      body();
      prefix.pop();
    },
    it: (title, body) => void tests.push({ title: [...prefix, title].join(' > '), body }),
  };
  return { host, tests };
}

async function outcomes(tests: Registered[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const t of tests) {
    try {
      await t.body();
      result[t.title] = 'pass';
    } catch (err) {
      result[t.title] = (err as Error).message;
    }
  }
  return result;
}

const bat = { attachments: [{ name: 'junk.bat', type: 'text/plain', content: 'x' }] };

test('cases pass and fail on what the session did; unfired rules are named', async () => {
  const { host, tests } = recorder();
  new PolicyTester({ host, unfiredRules: 'fail' }).run('p', 'policy.yaml', [
    { name: 'ours', envelope: { to: ['a@acme.example'] }, expect: { verdict: 'accept', fired: ['ours'] } },
    { name: 'relay', envelope: { to: ['a@elsewhere.example'] }, expect: { verdict: 'accept' } },
    { name: 'bat stated', envelope: { to: ['b@acme.example'] }, message: bat, expect: { verdict: 'accept', effects: [{ type: 'stripPart', part: { filename: 'junk.bat' } }] } },
  ]);
  const r = await outcomes(tests);
  expect(r['p > ours']).toBe('pass');
  expect(r['p > relay']).toMatch(/verdict: expected accept, got reject at rcpt/);
  expect(r['p > bat stated']).toBe('pass');
  expect(r['p > every rule is fired by some case']).toMatch(/rules no case fires: never/);
});

test('an unstated message change, an unknown key and a duplicate each fail', async () => {
  const { host, tests } = recorder();
  new PolicyTester({ host, unfiredRules: 'off' }).run('p', 'policy.yaml', [
    { name: 'bat unstated', envelope: { to: ['b@acme.example'] }, message: bat, expect: { verdict: 'accept' } },
    { name: 'typo', envelope: { to: ['c@acme.example'] }, expect: { verdict: 'accept', firedd: [] } } as never,
    { name: 'bat unstated', envelope: { to: ['d@acme.example'] }, expect: { verdict: 'accept' } },
  ]);
  expect(tests.map((t) => t.title)).toEqual(['p > bat unstated', 'p > typo', 'p > bat unstated']);
  const r = await outcomes(tests);
  const [first, , second] = tests;
  await expect(first.body()).rejects.toThrow(/changes the message but the case does not state it/);
  expect(r['p > typo']).toMatch(/unknown key `firedd` in `expect`/);
  await expect(second.body()).rejects.toThrow(/duplicate case name "bat unstated"/);
});

test('without a runner it says how to run cases instead', () => {
  const g = globalThis as { describe?: unknown };
  const saved = g.describe;
  g.describe = undefined;
  try {
    expect(() => new PolicyTester().run('p', 'policy.yaml', [])).toThrow(/mailward test/);
  } finally {
    g.describe = saved;
  }
});
