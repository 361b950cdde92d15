import { evaluate, loadPolicy, runSession } from '../index';
import { policyMatchers } from './matchers';
import { DEFAULT_CLIENT } from './run-case';
import { PolicyTester } from './policy-tester';

expect.extend(policyMatchers);

const policy = loadPolicy(
  [
    'version: 1',
    'mail:',
    '  rules:',
    '    - id: no-null-sender',
    '      when: { sender: "<>" }',
    '      do: [ { reject: { code: 550, status: 5.7.1, text: "No bounces here" } } ]',
    'rcpt:',
    '  rules:',
    '    - id: ours',
    '      when: { recipient: { domain: acme.example } }',
    '      do: [ accept ]',
    '',
  ].join('\n'),
  'inline.yaml',
);

describe('policy matchers on real decisions', () => {
  test('toHaveVerdict, toHaveReply and toHaveFired read a Decision', () => {
    const d = evaluate(policy, 'mail', { client: DEFAULT_CLIENT, sender: '', recipients: [] }, {});
    expect(d).toHaveVerdict('reject');
    expect(d).toHaveReply(550, '5.7.1');
    expect(d).toHaveFired('no-null-sender');
    expect(d).not.toHaveVerdict('accept');
    expect(() => expect(d).toHaveFired('ours')).toThrow(/expected ours to fire; fired: \[no-null-sender\]/);
  });

  test('they read a session result too, and refuse anything else', () => {
    const r = runSession(policy, { client: DEFAULT_CLIENT, helo: 'x.example', sender: 'a@example.net', recipients: ['b@acme.example'] }, {});
    expect(r).toHaveVerdict('accept');
    expect(r).toHaveFired('ours');
    expect(() => expect({ nope: 1 }).toHaveVerdict('accept')).toThrow(/expected a Decision or session result/);
  });
});

// The TypeScript form of cases, against a compiled policy and the real engine.
new PolicyTester({ unfiredRules: 'fail' }).run('cases in TypeScript', policy, [
  { name: 'ours is accepted', envelope: { from: 'a@example.net', to: ['b@acme.example'] }, expect: { verdict: 'accept', stage: 'data', fired: ['ours'] } },
  { name: 'bounces are refused at MAIL', envelope: { from: '<>', to: ['b@acme.example'] }, expect: { verdict: 'reject', stage: 'mail', reply: { code: 550, text: 'No bounces here' } } },
  {
    name: 'relaying is refused per recipient',
    envelope: { from: 'a@example.net', to: ['b@acme.example', 'c@elsewhere.example'] },
    expect: { verdict: 'accept', recipients: [{ address: 'c@elsewhere.example', verdict: 'reject', reply: 550 }] },
  },
]);
