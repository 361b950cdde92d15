import { checkCase } from './case-schema';

const ok = { name: 'a case', expect: { verdict: 'accept' } };

describe('checkCase', () => {
  test('a minimal case is well-formed', () => {
    expect(checkCase(ok)).toEqual([]);
  });

  test('an unknown key is reported where it is, once', () => {
    const problems = checkCase({ ...ok, expect: { verdict: 'accept', verdcit: 'reject' } });
    expect(problems).toEqual([{ pointer: '/expect/verdcit', message: 'unknown key `verdcit` in `expect`; did you mean `verdict`?' }]);
  });

  test('a misspelt required key is one problem: "did you mean", not also "needs"', () => {
    expect(checkCase({ name: 'x', expect: { verdcit: 'accept' } })).toEqual([{ pointer: '/expect/verdcit', message: 'unknown key `verdcit` in `expect`; did you mean `verdict`?' }]);
    expect(checkCase({ name: 'x', expect: { verdict: 'accept' }, envelope: { tp: ['a@b.example'] } }).map((p) => p.message)).toEqual(['unknown key `tp` in `envelope`; did you mean `to`?']);
  });

  test('a misspelt inline message key is one problem, not one per message form', () => {
    const problems = checkCase({ ...ok, message: { text: 'hi', attachements: [] } });
    expect(problems.map((p) => p.message)).toEqual(['unknown key `attachements` in `message`; did you mean `attachments`?']);
  });

  test('a client object with a typo is not also told to be a string', () => {
    const problems = checkCase({ ...ok, envelope: { client: { ip: '192.0.2.1', tsl: true } } });
    expect(problems.map((p) => p.message)).toEqual(['unknown key `tsl` in `envelope.client`; did you mean `tls`?']);
  });

  test('a wrong verdict names the allowed ones', () => {
    const problems = checkCase({ name: 'x', expect: { verdict: 'bounce' } });
    expect(problems[0].message).toBe('`expect.verdict` must be one of: accept, reject, tempfail, drop, quarantine');
  });

  test('a missing expectation is named', () => {
    expect(checkCase({ name: 'x' }).map((p) => p.message)).toEqual(['the case needs `expect`']);
  });

  test('mixing message forms is refused', () => {
    expect(checkCase({ ...ok, message: { file: 'a.eml', text: 'b' } })[0].pointer).toBe('/message');
  });

  test('a fact is a value or an error, not both or neither', () => {
    expect(checkCase({ ...ok, facts: { spam: { score: 3 } } })).toEqual([]);
    expect(checkCase({ ...ok, facts: { spam: { error: 'timeout' } } })).toEqual([]);
    expect(checkCase({ ...ok, facts: { spam: {} } })[0].pointer).toBe('/facts/spam');
    expect(checkCase({ ...ok, facts: { virus: { names: [], error: 'x' } } })[0].pointer).toBe('/facts/virus');
  });

  test('virus may say what each part held, by part path', () => {
    expect(checkCase({ ...ok, facts: { virus: { names: ['Eicar'], parts: { '2': ['Eicar'], '1': [] } } } })).toEqual([]);
    expect(checkCase({ ...ok, facts: { virus: { names: ['Eicar'], parts: { '2': 'Eicar' } } } })[0].pointer).toBe('/facts/virus/parts/2');
  });

  test('greylist takes a state, an error, or states per recipient', () => {
    expect(checkCase({ ...ok, facts: { greylist: 'pending' } })).toEqual([]);
    expect(checkCase({ ...ok, facts: { greylist: { error: 'redis down' } } })).toEqual([]);
    expect(checkCase({ ...ok, facts: { greylist: { 'a@b.example': 'pending' } } })).toEqual([]);
    expect(checkCase({ ...ok, facts: { greylist: 'maybe' } })).not.toEqual([]);
  });

  test('reply codes are bounded and statuses shaped', () => {
    expect(checkCase({ name: 'x', expect: { verdict: 'reject', reply: { code: 550, status: '5.7.1' } } })).toEqual([]);
    expect(checkCase({ name: 'x', expect: { verdict: 'reject', reply: 999 } })).not.toEqual([]);
    expect(checkCase({ name: 'x', expect: { verdict: 'reject', reply: { status: '5.7' } } })).not.toEqual([]);
  });
});
