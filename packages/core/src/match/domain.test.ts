import { domainMatcher, isFqdn } from './domain';

describe('domainMatcher', () => {
  it('acme.example matches itself only', () => {
    const m = domainMatcher('acme.example');
    expect(m.test('ACME.example')).toBe(true);
    expect(m.test('acme.example.')).toBe(true);
    expect(m.test('mail.acme.example')).toBe(false);
    expect(m.test('evilacme.example')).toBe(false);
  });
  it('*.acme.example matches subdomains at any depth, not the domain', () => {
    const m = domainMatcher('*.acme.example');
    expect(m.test('mail.acme.example')).toBe(true);
    expect(m.test('a.b.acme.example')).toBe(true);
    expect(m.test('acme.example')).toBe(false);
    expect(m.test('evilacme.example')).toBe(false);
  });
  it('never matches an empty domain', () => {
    expect(domainMatcher('*').test('')).toBe(false);
  });
});

describe('isFqdn', () => {
  it.each([
    ['mail.example.org', true],
    ['mail.example.org.', true],
    ['localhost', false],
    ['[192.0.2.1]', false],
    ['192.0.2.1', false],
    ['bad_name.example', false],
    ['', false],
  ])('%s -> %s', (n, want) => expect(isFqdn(n)).toBe(want));
});
