import { LoginCache } from '../src/login-cache';

describe('LoginCache: logins that passed, for a while', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => (now = 1_000_000));

  it('remembers user and password together until the cache time is past', () => {
    const cache = new LoginCache(300_000, 10, clock);
    cache.add('alice', 'correct horse');
    expect(cache.has('alice', 'correct horse')).toBe(true);
    expect(cache.has('alice', 'wrong')).toBe(false);
    expect(cache.has('bob', 'correct horse')).toBe(false);
    now += 299_999;
    expect(cache.has('alice', 'correct horse')).toBe(true);
    now += 1;
    expect(cache.has('alice', 'correct horse')).toBe(false);
  });

  it('does not mix up where the user name ends and the password begins', () => {
    const cache = new LoginCache(300_000, 10, clock);
    cache.add('ab', 'c');
    expect(cache.has('a', 'bc')).toBe(false);
  });

  it('keeps at most maxEntries, dropping the oldest', () => {
    const cache = new LoginCache(300_000, 2, clock);
    cache.add('u1', 'p');
    cache.add('u2', 'p');
    cache.add('u3', 'p');
    expect([cache.has('u1', 'p'), cache.has('u2', 'p'), cache.has('u3', 'p')]).toEqual([false, true, true]);
  });

  it('with a cache time of 0 remembers nothing', () => {
    const cache = new LoginCache(0, 10, clock);
    cache.add('alice', 'correct horse');
    expect(cache.has('alice', 'correct horse')).toBe(false);
  });
});
