import { addressMatcher, domainOf } from './address';

describe('addressMatcher', () => {
  it('matches whole addresses case-insensitively', () => {
    const m = addressMatcher('bad.guy@example.org');
    expect(m.test('Bad.Guy@EXAMPLE.org')).toBe(true);
    expect(m.test('bad.guy@example.org.evil')).toBe(false);
  });
  it('treats <> as the null sender (the empty string) only', () => {
    expect(addressMatcher('<>').test('')).toBe(true);
    expect(addressMatcher('<>').test('a@b.example')).toBe(false);
    expect(addressMatcher('*').test('')).toBe(false);
    expect(addressMatcher('*@*').test('')).toBe(false);
  });
  it('is not evaded by a slash in the local part', () => {
    expect(addressMatcher('*@spam.example').test('a/b@spam.example')).toBe(true);
  });
  it('accepts re: patterns', () => {
    expect(addressMatcher('re:^postmaster@').test('PostMaster@x.example')).toBe(true);
  });
});

describe('domainOf', () => {
  it.each([
    ['bob@Acme.Example', 'acme.example'],
    ['"a@b"@c.example', 'c.example'],
    ['bob@acme.example.', 'acme.example'],
    ['', ''],
    ['postmaster', ''],
  ])('%s -> %s', (a, d) => expect(domainOf(a)).toBe(d));
});
