import { factsFromFixture, unusedFacts } from './fixture-facts';

const needs = [{ kind: 'virus', perPart: true }] as const;
const subjects = { recipients: ['bob@acme.example'] };

describe('factsFromFixture: virus', () => {
  it('unstated is clean for the whole message and every part, so a per-part rule can read it', () => {
    expect(factsFromFixture(undefined, needs, subjects).virus).toEqual({ names: [], parts: {} });
  });

  it('stated parts are kept, and what they found is among the names', () => {
    expect(factsFromFixture({ virus: { names: [], parts: { '2': ['Eicar'] } } }, needs, subjects).virus).toEqual({ names: ['Eicar'], parts: { '2': ['Eicar'] } });
  });

  it('names without parts: found in the message, in no part (a per-part rule then fails, as with a real scanner)', () => {
    expect(factsFromFixture({ virus: { names: ['Eicar'] } }, needs, subjects).virus).toEqual({ names: ['Eicar'], parts: {} });
    expect(factsFromFixture({ virus: { error: 'clamd: timeout' } }, needs, subjects).virus).toEqual({ error: 'clamd: timeout' });
  });
});

describe('unusedFacts (trial K: a typo in a fact passed, testing nothing)', () => {
  const needs = [{ kind: 'dnsbl' as const, zone: 'zen.spamhaus.org' }, { kind: 'greylist' as const }];
  const subjects = { helo: 'mail.example.net', sender: 'a@example.org', recipients: ['bob@acme.example'] };

  it('names a zone the policy does not ask and an address that is no recipient', () => {
    expect(unusedFacts({ dnsbl: { 'zen.spamhaus.exmaple': ['127.0.0.2'] } }, needs, subjects))
      .toBe('dnsbl names "zen.spamhaus.exmaple", a zone the policy does not ask (its dnsbl zones: zen.spamhaus.org)');
    expect(unusedFacts({ greylist: { 'bbo@acme.example': 'pending' } }, needs, subjects))
      .toBe('greylist names "bbo@acme.example", which is not a recipient of the case (its recipients: bob@acme.example)');
  });

  it('takes facts about what the session asks, in any case, and failed lookups', () => {
    expect(unusedFacts({ dnsbl: { 'ZEN.spamhaus.org': ['127.0.0.2'] }, greylist: { 'Bob@acme.example': 'pending' }, recipientExists: { 'bob@acme.example': false } }, needs, subjects)).toBeUndefined();
    expect(unusedFacts({ greylist: { error: 'redis down' } }, needs, subjects)).toBeUndefined();
    expect(unusedFacts(undefined, needs, subjects)).toBeUndefined();
  });
});
