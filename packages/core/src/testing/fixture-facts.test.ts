import { factsFromFixture } from './fixture-facts';

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
