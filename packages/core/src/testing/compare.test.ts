import { compareOutcome, partialDiff } from './compare';
import type { SessionOutcome } from './session-outcome';

const accepted: SessionOutcome = {
  verdict: 'accept',
  stage: 'data',
  reply: { code: 250, status: '2.0.0', text: 'OK' },
  recipients: [{ address: 'bob@acme.example', verdict: 'accept', reply: { code: 250, status: '2.1.5', text: 'OK' } }],
  fired: ['a', 'b'],
  effects: [],
};

const stripped: SessionOutcome = {
  ...accepted,
  effects: [
    { type: 'stripPart', rule: 'b', part: { path: '2', carrier: '2', type: 'text/plain', filename: 'junk.bat', size: 10 }, notice: 'gone' },
    { type: 'log', rule: 'b', text: 'removed junk.bat' },
  ],
};

describe('compareOutcome', () => {
  test('a matching expectation has no failures', () => {
    expect(compareOutcome({ verdict: 'accept', stage: 'data', reply: 250, fired: ['a', 'b'] }, accepted)).toEqual([]);
  });

  test('a wrong verdict says what decided instead', () => {
    const [failure] = compareOutcome({ verdict: 'reject' }, accepted);
    expect(failure).toBe('verdict: expected reject, got accept at data (stage default: 250 2.0.0 OK)');
  });

  test('fired is compared in full and in order', () => {
    expect(compareOutcome({ verdict: 'accept', fired: ['b', 'a'] }, accepted)).toEqual(['fired: expected [b, a], got [a, b]']);
    expect(compareOutcome({ verdict: 'accept', fired: ['a'] }, accepted)).toHaveLength(1);
  });

  test('a decision that changes the message must state its effects', () => {
    const failures = compareOutcome({ verdict: 'accept' }, stripped);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/changes the message but the case does not state it/);
    expect(failures[0]).toMatch(/"junk.bat"/);
  });

  test('envelope-only effects need not be stated', () => {
    const routed: SessionOutcome = { ...accepted, effects: [{ type: 'route', rule: 'r', via: ['hub.example'] }] };
    expect(compareOutcome({ verdict: 'accept' }, routed)).toEqual([]);
  });

  test('stated effects match partially, every effect in order', () => {
    const want = [{ type: 'stripPart', part: { filename: 'junk.bat' } }, { type: 'log' }];
    expect(compareOutcome({ verdict: 'accept', effects: want }, stripped)).toEqual([]);
    const missing = compareOutcome({ verdict: 'accept', effects: [want[0]] }, stripped);
    expect(missing[0]).toMatch(/^effects\[1\]: not expected/);
    const wrong = compareOutcome({ verdict: 'accept', effects: [{ type: 'stripPart', part: { filename: 'x.bat' } }, { type: 'log' }] }, stripped);
    expect(wrong[0]).toMatch(/^effects\[0\]\.part\.filename: expected "x.bat", got "junk.bat"/);
  });

  test('recipients are checked by address', () => {
    expect(compareOutcome({ verdict: 'accept', recipients: [{ address: 'BOB@acme.example', verdict: 'accept', reply: 250 }] }, accepted)).toEqual([]);
    expect(compareOutcome({ verdict: 'accept', recipients: [{ address: 'eve@acme.example' }] }, accepted)[0]).toMatch(/was not in the session/);
    expect(compareOutcome({ verdict: 'accept', recipients: [{ address: 'bob@acme.example', reply: { code: 550 } }] }, accepted)[0]).toBe(
      'recipient bob@acme.example reply: expected 550, got 250 2.1.5 OK',
    );
  });

  test('quarantine details are compared when stated', () => {
    const q: SessionOutcome = { ...accepted, verdict: 'quarantine', quarantine: { reason: 'virus', notify: ['admin@acme.example'] } };
    expect(compareOutcome({ verdict: 'quarantine', quarantine: { reason: 'virus' } }, q)).toEqual([]);
    expect(compareOutcome({ verdict: 'quarantine', quarantine: { reason: 'spam' } }, q)).toHaveLength(1);
    expect(compareOutcome({ verdict: 'accept', quarantine: {} }, accepted)).toEqual(['quarantine: expected quarantine details, got none']);
  });

  test("a quarantine's forward mailbox is compared when stated (trial K: it could not be)", () => {
    const q: SessionOutcome = { ...accepted, verdict: 'quarantine', quarantine: { reason: 'spam', notify: [], forward: 'spam@acme.example' } };
    expect(compareOutcome({ verdict: 'quarantine', quarantine: { forward: 'SPAM@acme.example' } }, q)).toEqual([]);
    expect(compareOutcome({ verdict: 'quarantine', quarantine: { forward: 'held@acme.example' } }, q)).toEqual(['quarantine forward: expected held@acme.example, got spam@acme.example']);
    expect(compareOutcome({ verdict: 'quarantine', quarantine: { forward: 'spam@acme.example' } }, { ...q, quarantine: { reason: 'spam', notify: [] } }))
      .toEqual(['quarantine forward: expected spam@acme.example, got none (held in the gateway)']);
  });
});

describe('partialDiff', () => {
  test('objects compare by the keys wanted, lists in full', () => {
    expect(partialDiff({ a: 1 }, { a: 1, b: 2 }, 'x')).toBeUndefined();
    expect(partialDiff({ l: [1] }, { l: [1, 2] }, 'x')).toBe('x.l: expected [1], got [1,2]');
    expect(partialDiff({ a: { b: 'c' } }, { a: null }, 'x')).toBe('x.a: expected {"b":"c"}, got null');
  });
});
