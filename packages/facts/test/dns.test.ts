import { createSocket } from 'node:dgram';
import { lookupDnsbl, reversedName } from '../src/dns/dnsbl';
import { nameResolves } from '../src/dns/resolves';
import { createFactProviders, type LookupEvent } from '../src/create-providers';
import { startDns } from './dns-server';

const ctx = () => ({ signal: new AbortController().signal });

describe('reversedName', () => {
  it('reverses IPv4 octets and IPv6 nibbles', () => {
    expect(reversedName('192.0.2.99')).toBe('99.2.0.192');
    expect(reversedName('2001:db8::1')).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2');
  });
});

describe('DNSBL and DNS checks against a DNS server on loopback', () => {
  let dns: Awaited<ReturnType<typeof startDns>>;
  beforeAll(async () => {
    dns = await startDns({
      a: {
        '2.0.0.127.bl.test': ['127.0.0.2'],
        '99.2.0.192.bl.test': ['127.0.0.2', '127.0.0.4'],
        'spam.example.rhsbl.test': ['127.0.0.2'],
        'mx1.acme.test': ['192.0.2.10'],
        '4.0.0.127.bl.test': ['127.255.255.254'],
        '8.0.0.127.bl.test': ['10.1.2.3'],
        '9.0.0.127.bl.test': ['10.1.2.3', '127.0.0.3'],
      },
      mx: { 'acme.test': ['mx1.acme.test'] },
    });
  });
  afterAll(() => dns.close());
  const options = () => ({ servers: [dns.server], timeoutMs: 1000 });

  it('answers listed and not listed', async () => {
    expect(await lookupDnsbl('bl.test', '192.0.2.99', options())).toEqual(['127.0.0.2', '127.0.0.4']);
    expect(await lookupDnsbl('bl.test', '198.51.100.1', options())).toEqual([]);
  });

  it('fails, never "listed", on an error code or an answer outside 127.0.0.0/8 (RFC 5782)', async () => {
    await expect(lookupDnsbl('bl.test', '127.0.0.4', options())).rejects.toThrow(/DNSBL bl\.test: answered 127\.255\.255\.254, not a listing/);
    await expect(lookupDnsbl('bl.test', '127.0.0.8', options())).rejects.toThrow(/answered 10\.1\.2\.3, not a listing/);
    expect(await lookupDnsbl('bl.test', '127.0.0.9', options())).toEqual(['127.0.0.3']);
  });

  it('waits about timeoutMs for a server that does not answer, not several times it', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    try {
      const started = Date.now();
      await expect(lookupDnsbl('bl.test', '192.0.2.99', { servers: [`127.0.0.1:${silent.address().port}`], timeoutMs: 500 })).rejects.toThrow(/DNSBL bl.test/);
      expect(Date.now() - started).toBeLessThan(1400); // c-ares' own tries took 2 s and more
    } finally {
      silent.close();
    }
  });

  it('looks domains up in an RHSBL zone', async () => {
    expect(await lookupDnsbl('rhsbl.test', 'spam.example', options())).toEqual(['127.0.0.2']);
  });

  it('tells names that resolve from names that do not', async () => {
    expect(await nameResolves('mx1.acme.test', 'host', options())).toBe(true);
    expect(await nameResolves('acme.test', 'domain', options())).toBe(true);
    expect(await nameResolves('nowhere.test', 'domain', options())).toBe(false);
  });

  it('fails, never "not listed", when the DNS server does not answer', async () => {
    const silent = createSocket('udp4');
    await new Promise<void>((r) => silent.bind(0, '127.0.0.1', () => r()));
    const server = `127.0.0.1:${silent.address().port}`;
    await expect(lookupDnsbl('bl.test', '192.0.2.99', { servers: [server], timeoutMs: 200 })).rejects.toThrow(/DNSBL bl.test/);
    silent.close();
  });

  it('caches answers and reports each lookup', async () => {
    const events: LookupEvent[] = [];
    const { providers } = createFactProviders({ dns: { ...options() }, onLookup: (e) => events.push(e) });
    expect(await providers.dnsbl!('bl.test', '192.0.2.99', ctx())).toEqual(['127.0.0.2', '127.0.0.4']);
    expect(await providers.dnsbl!('bl.test', '192.0.2.99', ctx())).toEqual(['127.0.0.2', '127.0.0.4']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ provider: 'dnsbl', key: '192.0.2.99@bl.test' });
  });
});
