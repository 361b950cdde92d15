import { compileRegexPattern, isBacktrackProne } from './regex-pattern';

describe('compileRegexPattern', () => {
  it('is case-insensitive where the field is, unless flags are given', () => {
    expect(compileRegexPattern('^abc', true).test('ABC')).toBe(true);
    expect(compileRegexPattern('^abc', false).test('ABC')).toBe(false);
    expect(compileRegexPattern('/^abc$/i', false).test('ABC')).toBe(true);
  });
});

describe('isBacktrackProne', () => {
  it.each(['(a+)+', '(a|a)*', '(.*)*', '(\\w+\\s?)*$', '^(([a-z])+.)+[A-Z]([a-z])+$', '(x+x+)+y', '(.|\\s)*'])('flags %s', (re) => {
    expect(isBacktrackProne(re)).toBe(true);
  });
  it.each(['^abc$', 'a+b+', '(ab)+', '[a-z]+@[a-z.]+', '(foo|bar)*', '^\\d{3}-\\d{4}$'])('passes %s', (re) => {
    expect(isBacktrackProne(re)).toBe(false);
  });
});
