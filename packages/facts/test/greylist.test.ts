import { Greylist, clientNetwork } from '../src/greylist/greylist';
import { MemoryGreylistStore } from '../src/greylist/memory-store';
import { RedisGreylistStore } from '../src/greylist/redis-store';
import { available, startRedis, type Service } from './services';

const triplet = { client: '192.0.2.10', sender: 'a@example.org', recipient: 'bob@acme.example' };

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (s: number) => (now += s * 1000) };
}

describe('greylisting (memory store, injected clock)', () => {
  it('defers the first try, keeps deferring until the delay, then passes and remembers', async () => {
    const c = clock();
    const g = new Greylist(new MemoryGreylistStore(1000, c.now), { delay: 60, now: c.now });
    expect(await g.check(triplet)).toBe('pending');
    c.advance(30);
    expect(await g.check(triplet)).toBe('pending');
    c.advance(31);
    expect(await g.check(triplet)).toBe('pass');
    c.advance(86400);
    expect(await g.check(triplet)).toBe('pass');
  });

  it('auto-whitelists the client network after one success', async () => {
    const c = clock();
    const g = new Greylist(new MemoryGreylistStore(1000, c.now), { delay: 30, now: c.now });
    await g.check(triplet);
    c.advance(31);
    await g.check(triplet);
    expect(await g.check({ client: '192.0.2.77', sender: 'other@example.org', recipient: 'eve@acme.example' })).toBe('pass');
    expect(await g.check({ client: '198.51.100.1', sender: 'other@example.org', recipient: 'eve@acme.example' })).toBe('pending');
  });

  it('keeps a client that sends regularly: the pass lifetime counts from the last use', async () => {
    const c = clock();
    const g = new Greylist(new MemoryGreylistStore(1000, c.now), { delay: 30, passLifetime: 86400, now: c.now });
    await g.check(triplet);
    c.advance(31);
    expect(await g.check(triplet)).toBe('pass');
    for (let day = 0; day < 5; day++) {
      c.advance(0.8 * 86400);
      expect(await g.check(triplet)).toBe('pass');
    }
    c.advance(86400 + 1);
    expect(await g.check(triplet)).toBe('pending');
  });

  it('passes a known client when renewing its entry fails (a read-only or slow store)', async () => {
    const c = clock();
    const store = new MemoryGreylistStore(1000, c.now);
    const g = new Greylist(store, { delay: 30, passLifetime: 86400, now: c.now });
    await g.check(triplet);
    c.advance(31);
    expect(await g.check(triplet)).toBe('pass');
    store.put = async () => { throw new Error('redis: no answer within 2000 ms'); };
    c.advance(0.5 * 86400);
    expect(await g.check(triplet)).toBe('pass');
  });

  it('starts over when the retry comes after the window', async () => {
    const c = clock();
    const g = new Greylist(new MemoryGreylistStore(1000, c.now), { delay: 30, retryWindow: 600, now: c.now });
    await g.check(triplet);
    c.advance(700);
    expect(await g.check(triplet)).toBe('pending');
  });

  it('never greylists whitelisted clients or recipients', async () => {
    const g = new Greylist(new MemoryGreylistStore(), { clientWhitelist: ['10.0.0.0/8'], recipientWhitelist: ['postmaster@acme.example', '@partner.example'] });
    expect(await g.check({ ...triplet, client: '10.1.2.3' })).toBe('pass');
    expect(await g.check({ ...triplet, recipient: 'postmaster@acme.example' })).toBe('pass');
    expect(await g.check({ ...triplet, recipient: 'x@partner.example' })).toBe('pass');
  });

  it('refuses a delay outside 30..3600 s', () => {
    expect(() => new Greylist(new MemoryGreylistStore(), { delay: 5 })).toThrow(/30\.\.3600/);
  });

  it('groups clients by /24 and /64', () => {
    expect(clientNetwork('192.0.2.200')).toBe('192.0.2.0/24');
    expect(clientNetwork('2001:db8:1:2:3::4')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8::/64');
    // "::" inside the first four groups: the /64 is still the first four groups, spelt out.
    expect(clientNetwork('2001::5:6:7:8:9')).toBe('2001:0:0:5::/64');
    expect(clientNetwork('2001::6:6:7:8:9')).toBe('2001:0:0:6::/64');
    expect(clientNetwork('2001:0DB8:0000:0001:0000:0000:0000:0005')).toBe('2001:db8:0:1::/64');
    expect(clientNetwork('64:ff9b::192.0.2.1')).toBe('64:ff9b::/64');
  });
});

const maybe = available('redis-server') ? describe : describe.skip;

maybe('greylisting shared through a real Redis', () => {
  let redis: Service;
  const stores: RedisGreylistStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis?.stop();
  });

  it('two gateways agree: a retry at the second passes after the delay seen at the first', async () => {
    const c = clock();
    const store = () => {
      const s = new RedisGreylistStore({ port: redis.port, prefix: 'test:' });
      stores.push(s);
      return s;
    };
    const first = new Greylist(store(), { delay: 60, now: c.now });
    const second = new Greylist(store(), { delay: 60, now: c.now });
    expect(await first.check(triplet)).toBe('pending');
    expect(await second.check(triplet)).toBe('pending');
    c.advance(61);
    expect(await second.check(triplet)).toBe('pass');
    expect(await first.check(triplet)).toBe('pass');
  });
});

maybe('greylisting when Redis fails', () => {
  let redis: Service;
  let store: RedisGreylistStore;
  beforeEach(async () => {
    redis = await startRedis();
    store = new RedisGreylistStore({ port: redis.port, prefix: 'test:', timeoutMs: 300 });
    expect(await new Greylist(store).check(triplet)).toBe('pending');
  }, 30_000);
  afterEach(async () => {
    await store.close();
    try {
      process.kill(redis.pid, 'SIGCONT');
    } catch {
      // already stopped by the test
    }
    await redis.stop();
  });

  it('fails within timeoutMs, naming Redis, when it stops answering', async () => {
    process.kill(redis.pid, 'SIGSTOP');
    const started = Date.now();
    await expect(new Greylist(store).check(triplet)).rejects.toThrow(`redis 127.0.0.1:${redis.port}: no answer within 300 ms`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails with the connection\'s error when Redis is down', async () => {
    await redis.stop();
    await expect(new Greylist(store).check(triplet)).rejects.toThrow(`redis 127.0.0.1:${redis.port}: connect ECONNREFUSED 127.0.0.1:${redis.port}`);
  });
});
