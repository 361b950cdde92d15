import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from '../src/index';
import { tlsPolicyFor } from '../src/delivery/hop-tls';

describe('gateway.yaml delivery: smarthost TLS and MX', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-dcfg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (yaml: string) => {
    writeFileSync(join(dir, 'gateway.yaml'), yaml);
    return loadGatewayConfig(join(dir, 'gateway.yaml'));
  };
  const problems = (yaml: string): string => {
    try {
      load(yaml);
      return 'no error';
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayConfigError);
      return (err as GatewayConfigError).problems.join('\n');
    }
  };

  it('makes CA paths relative to the file', () => {
    const { delivery } = load('delivery:\n  mode: smtp\n  tls: { ca: tls/hub-ca.pem }\n  smarthost: { host: relay.isp.example, port: 587, user: acme, pass: pw, tls: { ca: tls/isp.pem } }\n');
    expect(delivery.tls).toEqual({ ca: join(dir, 'tls/hub-ca.pem') });
    expect(delivery.smarthost).toMatchObject({ host: 'relay.isp.example', tls: { ca: join(dir, 'tls/isp.pem') } });
    const mx = load('delivery:\n  mode: smtp\n  mx: { port: 2525, servers: ["127.0.0.1:5353", "::1"], tls: { ca: ca.pem } }\n').delivery.mx;
    expect(mx).toEqual({ port: 2525, servers: ['127.0.0.1:5353', '::1'], tls: { ca: join(dir, 'ca.pem') } });
  });

  it('verifies and requires TLS toward a smarthost that gets a password, and by default only then', () => {
    expect(tlsPolicyFor('smarthost', { mode: 'smtp', smarthost: { host: 'r', user: 'u', pass: 'p' } })).toEqual({ rejectUnauthorized: true, requireTLS: true });
    expect(tlsPolicyFor('smarthost', { mode: 'smtp', smarthost: { host: 'r' } })).toEqual({ rejectUnauthorized: false, requireTLS: false });
    expect(tlsPolicyFor('hub', { mode: 'smtp', smarthost: { host: 'r', user: 'u', pass: 'p' } })).toEqual({ rejectUnauthorized: false, requireTLS: false });
    expect(tlsPolicyFor('mx', { mode: 'smtp', mx: {} })).toEqual({ rejectUnauthorized: false, requireTLS: false });
    expect(tlsPolicyFor('hub', { mode: 'smtp', tls: { ca: '/ca.pem', rejectUnauthorized: true } })).toEqual({ ca: '/ca.pem', rejectUnauthorized: true, requireTLS: false });
  });

  it('names file:line:col for a password allowed out in clear, two defaults, a bad DNS server, a user without pass', () => {
    const text = problems([
      'delivery:',
      '  mode: smtp',
      '  hubs: ["10.0.0.10:25"]',
      '  mx: { servers: ["dns.example", "127.0.0.1:99999"] }',
      '  smarthost: { host: relay.isp.example, user: acme, pass: pw, tls: { requireTLS: false } }',
      '',
    ].join('\n'));
    expect(text).toMatch(/gateway\.yaml:4:7: \/delivery\/mx and \/delivery\/hubs both take the mail no route takes/);
    expect(text).toMatch(/gateway\.yaml:4:7: \/delivery\/mx and \/delivery\/smarthost both/);
    expect(text).toMatch(/gateway\.yaml:5:\d+: \/delivery\/smarthost\/tls\/requireTLS false would send the password in clear/);
    expect(text).toMatch(/gateway\.yaml:4:\d+: \/delivery\/mx\/servers\/0 "dns\.example" is not an IP address or IP:port/);
    expect(text).toMatch(/gateway\.yaml:4:\d+: \/delivery\/mx\/servers\/1 "127\.0\.0\.1:99999"/);
    expect(problems('delivery: { mode: smtp, smarthost: { host: r, user: acme } }\n')).toMatch(/gateway\.yaml:1:\d+: \/delivery\/smarthost must have property pass when property user is present/);
    expect(problems('delivery: { mode: smtp, mx: { port: 0, tls: { verify: true } } }\n')).toMatch(/\/delivery\/mx\/port must be >= 1[\s\S]*`verify`; remove it/);
  });

  it('checks every hub and route before anything starts: host[:port], a port from 1 to 65535, a domain as the key', () => {
    // They were taken as they were: mail was accepted and then deferred until abandonTime with
    // "Port should be >= 0 and < 65536" or "getaddrinfo ENOTFOUND not a host".
    const text = problems([
      'delivery:',
      '  mode: smtp',
      '  hubs: ["127.0.0.1:99999", "not a host", "10.0.0.10", "[::1]:2525", "hub.acme.example:25"]',
      '  routes:',
      '    "*.research.acme.example": ["10.0.2.5:25"]',
      '    lab.acme.example: ["10.0.2.6:0", "[::1"]',
      '',
    ].join('\n'));
    expect(text).toMatch(/gateway\.yaml:3:\d+: \/delivery\/hubs\/0 "127\.0\.0\.1:99999" is not host or host:port with a port from 1 to 65535, e\.g\. "10\.0\.0\.10:25"/);
    expect(text).toMatch(/gateway\.yaml:3:\d+: \/delivery\/hubs\/1 "not a host" is not host or host:port/);
    expect(text).not.toMatch(/hubs\/[234]/);
    expect(text).toMatch(/gateway\.yaml:5:5: \/delivery\/routes "\*\.research\.acme\.example" is not a domain name: write research\.acme\.example \(a route also takes its subdomains\)/);
    expect(text).toMatch(/gateway\.yaml:6:\d+: \/delivery\/routes\/lab\.acme\.example\/0 "10\.0\.2\.6:0" is not host or host:port/);
    expect(text).toMatch(/gateway\.yaml:6:\d+: \/delivery\/routes\/lab\.acme\.example\/1 "\[::1" is not host or host:port/);
  });

  it('refuses a smarthost beside hubs, which take all the mail it would get, as it refuses mx beside either', () => {
    // Trial 37 (bad5.yaml): this one started, and the smarthost was never used.
    expect(problems('delivery:\n  mode: smtp\n  hubs: ["127.0.0.1:25"]\n  smarthost: { host: a.example }\n')).toBe(
      `${join(dir, 'gateway.yaml')}:4:14: /delivery/smarthost and /delivery/hubs both take the mail no route takes; keep one (send your own domains to hubs with routes)`,
    );
    expect(problems('delivery: { mode: smtp, hubs: [], smarthost: { host: a.example } }\n')).toBe('no error');
    expect(problems('delivery: { mode: smtp, routes: { acme.example: ["10.0.0.10"] }, smarthost: { host: a.example } }\n')).toBe('no error');
  });

  it('refuses smtp delivery with nowhere to send: no hubs, routes, smarthost or mx', () => {
    // It started, took mail with 250 and deferred every message with "no hub configured".
    expect(problems('delivery: { mode: smtp }\n')).toMatch(/gateway\.yaml:1:\d+: \/delivery has mode smtp but nowhere to send: give it hubs, routes, a smarthost or mx/);
    expect(problems('delivery: { mode: smtp, routes: { acme.example: ["10.0.0.10"] } }\n')).toBe('no error');
  });

  it('refuses hubs, routes, a smarthost or mx beside mode maildir, which would never use them', () => {
    // They were ignored: mail meant for the hub went into the local mail folder.
    expect(problems('delivery:\n  mode: maildir\n  hubs: ["10.0.0.10:25"]\n')).toMatch(/gateway\.yaml:3:\d+: \/delivery has mode maildir, which writes every message into the mail folder, so hubs would not be used: write mode: smtp to relay, or remove it/);
    expect(problems('delivery: { mode: maildir, hubs: ["10.0.0.10"], smarthost: { host: relay.isp.example } }\n')).toMatch(/so hubs, smarthost would not be used: .*remove them/);
    expect(problems('delivery: { mode: maildir, maildir: mail }\n')).toBe('no error');
  });
});
