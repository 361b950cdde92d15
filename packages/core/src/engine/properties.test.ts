import { fc, test as propTest } from '@fast-check/jest';
import { compilePolicy } from '../policy/compile';
import { definePolicy } from '../policy/define-policy';
import type { RawRule, RawWhen } from '../policy/raw-policy';
import { evaluate } from './evaluate';
import { runSession } from './run-session';
import { input, message, part } from './__fixtures__/model';

const address = fc.tuple(fc.constantFrom('bob', 'alice', 'a/b', 'Root', ''), fc.constantFrom('acme.example', 'x.acme.example', 'evil.example')).map(([l, d]) => (l === '' ? '' : `${l}@${d}`));
const ip = fc.constantFrom('10.0.0.10', '10.0.1.7', '203.0.113.9', '::ffff:10.0.1.8', '2001:db8::1');

const when: fc.Arbitrary<RawWhen> = fc.oneof(
  fc.record({ sender: fc.constantFrom('*@acme.example', '<>', '*@*.acme.example', 're:^a') }),
  fc.record({ client: fc.constantFrom('10.0.0.0/8', '203.0.113.9', '2001:db8::/32') }),
  fc.record({ recipient: fc.record({ domain: fc.constantFrom('acme.example', '*.acme.example') }) }),
  fc.record({ direction: fc.constantFrom('inbound' as const, 'outbound' as const) }),
  fc.record({ part: fc.record({ filename: fc.constantFrom('*.exe', '*.bat') }) }),
  fc.record({ spam: fc.record({ score: fc.record({ gte: fc.integer({ min: 0, max: 10 }) }) }) }),
);
const action = fc.constantFrom<RawRule['do'][number]>('accept', 'reject', 'tempfail', { log: '{rule} {sender}' }, { subject: { prefix: '[x] ' } });

function rules(stage: 'rcpt' | 'data'): fc.Arbitrary<RawRule[]> {
  return fc.array(
    fc.record({ when: fc.option(when, { nil: undefined }), do: fc.array(action, { minLength: 1, maxLength: 2 }) }).map((r) => r),
    { maxLength: 6 },
  ).map((list) =>
    list.map((r, i): RawRule => {
      // At most one terminal action per rule; drop data-only conditions/actions at rcpt.
      const terminal = r.do.filter((a) => typeof a === 'string');
      const others = r.do.filter((a) => typeof a !== 'string' && (stage === 'data' || !('subject' in a)));
      const w = r.when && stage === 'rcpt' && ('part' in r.when || 'spam' in r.when) ? undefined : r.when;
      return { id: `r${i}`, ...(w ? { when: w } : {}), do: [...others, ...terminal.slice(0, 1)] };
    }).filter((r) => r.do.length > 0),
  );
}

describe('engine properties', () => {
  propTest.prop([rules('data'), address, ip, fc.double({ min: 0, max: 12, noNaN: true })])('evaluation is deterministic', (rs, sender, clientIp, score) => {
    const policy = compilePolicy(definePolicy({ version: 1, outbound: { clients: ['10.0.1.0/24'] }, data: { rules: rs } }));
    const inp = input({ sender, client: { ip: clientIp, tls: false, authenticated: false }, recipients: ['bob@acme.example'], message: message({ parts: [part({ path: '2', type: 'application/octet-stream', filename: 'x.exe' })] }) });
    const facts = { spam: { score } };
    const a = evaluate(policy, 'data', inp, facts);
    const b = evaluate(policy, 'data', structuredClone(inp), structuredClone(facts));
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
  });

  propTest.prop([fc.array(address.filter((a) => a !== ''), { minLength: 1, maxLength: 5 }), ip])('a policy with no rules accepts no recipient', (recipients, clientIp) => {
    const policy = compilePolicy({ version: 1 });
    const r = runSession(policy, { client: { ip: clientIp, tls: false, authenticated: true }, sender: 'a@acme.example', recipients, message: message() }, {});
    expect(r.recipients.every((x) => x.verdict === 'reject')).toBe(true);
    expect(r.verdict).toBe('reject');
  });

  propTest.prop([rules('rcpt'), address])('fired rules are exactly the reached rules that matched, and nothing after a terminal one is reached', (rs, recipient) => {
    const policy = compilePolicy({ version: 1, rcpt: { rules: rs } });
    const d = evaluate(policy, 'rcpt', input({ recipient }), {});
    expect(d.fired).toEqual(d.trace.filter((t) => t.reached && t.matched).map((t) => t.rule));
    const decider = d.trace.findIndex((t) => t.rule === d.rule);
    if (d.rule !== undefined) expect(d.trace.slice(decider + 1).every((t) => !t.reached)).toBe(true);
    else expect(d.trace.every((t) => t.reached)).toBe(true);
  });
});
