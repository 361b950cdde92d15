import { isFactError } from './facts';

describe('isFactError', () => {
  it('tells an error from a value', () => {
    expect(isFactError({ error: 'timeout' })).toBe(true);
    expect(isFactError(['127.0.0.2'])).toBe(false);
    expect(isFactError({ score: 3 })).toBe(false);
    expect(isFactError(false)).toBe(false);
  });
});
