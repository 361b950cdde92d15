import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from '../src/index';

describe("gateway.yaml's facts: what the schema cannot see", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-facts-cfg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The problems of a gateway.yaml with this `facts:` block (and a readable policy). */
  const problems = (facts: string[]): string[] => {
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\n');
    writeFileSync(join(dir, 'gateway.yaml'), ['policy: policy.yaml', 'delivery: { mode: maildir }', 'facts:', ...facts.map((l) => `  ${l}`), ''].join('\n'));
    try {
      loadGatewayConfig(join(dir, 'gateway.yaml'), dir, { checkFiles: true });
      return [];
    } catch (err) {
      if (!(err instanceof GatewayConfigError)) throw err;
      return err.problems.map((p) => p.replace(`${join(dir, 'gateway.yaml')}`, 'gateway.yaml'));
    }
  };

  it('refuses hosts with a port in them, and endpoints with both a socket and a host', () => {
    expect(problems([
      'clamd: { endpoint: { host: "127.0.0.1:3310", port: 3310 } }',
      `spamd: { endpoint: { socket: ${join(dir, 'spamd.sock')}, host: 127.0.0.1, port: 783 } }`,
    ])).toEqual([
      'gateway.yaml:4:30: /facts/clamd/endpoint/host: "127.0.0.1:3310" is not a host name or an IP address (the port goes in `port`)',
      'gateway.yaml:5:22: /facts/spamd/endpoint: give either socket (a unix socket) or host and port, not both',
    ]);
  });

  it('says what an endpoint with neither host and port nor a socket needs, and sees a port written into host', () => {
    expect(problems([
      'clamd: { endpoint: { host: "127.0.0.1:3310" } }',
      'spamd: { endpoint: { host: spamd.acme.example } }',
    ])).toEqual([
      'gateway.yaml:4:22: /facts/clamd/endpoint needs host and port (TCP) or socket (a unix socket): "127.0.0.1:3310" has the port in it; write host: 127.0.0.1, port: 3310',
      'gateway.yaml:5:22: /facts/spamd/endpoint needs host and port (TCP) or socket (a unix socket)',
    ]);
    expect(problems(['spamd: { endpoint: { host: "[::1]:783" } }'])[0]).toMatch(/write host: ::1, port: 783$/);
    expect(problems(['spamd: { endpoint: { host: "::1" } }'])[0]).toMatch(/or socket \(a unix socket\)$/);
  });

  it('refuses a socket whose folder does not exist, or a path that is not a socket; a socket not made yet is fine', () => {
    writeFileSync(join(dir, 'plain-file'), '');
    expect(problems([
      'clamd: { endpoint: { socket: /nonexistent/clamd.ctl } }',
      `spamd: { endpoint: { socket: ${join(dir, 'plain-file')} } }`,
    ])).toEqual([
      'gateway.yaml:4:32: /facts/clamd/endpoint/socket: /nonexistent/clamd.ctl: the folder /nonexistent does not exist',
      `gateway.yaml:5:32: /facts/spamd/endpoint/socket: ${join(dir, 'plain-file')}: is not a socket`,
    ]);
    expect(problems([`clamd: { endpoint: { socket: ${join(dir, 'clamd.ctl')} } }`])).toEqual([]);
  });

  it('takes a real unix socket', async () => {
    const path = join(dir, 'clamd.sock');
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(path, r));
    try {
      expect(problems([`clamd: { endpoint: { socket: ${path} } }`])).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses DNS servers and whitelisted networks that node would refuse at the first lookup, and a Redis URL that is not one', () => {
    expect(problems([
      'dns: { servers: ["127.0.0.1:5353", "[::1]:53", "10.0.0.53", "127.0.0.1:99999", "ns1.example", "::1:53"] }',
      'greylist: { clientWhitelist: ["192.0.2.0/24", "2001:db8::/32", "192.0.2.0/33", nonsense], redis: { url: "htp://x" } }',
    ])).toEqual([
      'gateway.yaml:4:63: /facts/dns/servers/3: "127.0.0.1:99999" is not a DNS server address: write 10.0.0.53, 10.0.0.53:5353 or [2001:db8::53]:53',
      'gateway.yaml:4:82: /facts/dns/servers/4: "ns1.example" is not a DNS server address: write 10.0.0.53, 10.0.0.53:5353 or [2001:db8::53]:53',
      'gateway.yaml:5:66: /facts/greylist/clientWhitelist/2: "192.0.2.0/33" is not an IP address or a network (192.0.2.0/24, 2001:db8::/32)',
      'gateway.yaml:5:82: /facts/greylist/clientWhitelist/3: "nonsense" is not an IP address or a network (192.0.2.0/24, 2001:db8::/32)',
      'gateway.yaml:5:107: /facts/greylist/redis/url: "htp://x" is not a redis:// or rediss:// URL',
    ]);
  });

  it('refuses a Redis URL node cannot read, url with host or port, and whitelisted recipients that are patterns (trial I)', () => {
    const read = 'is not a URL that can be read (a port is 1 to 65535): write redis://[:password@]host[:port][/db]';
    expect(problems(['greylist: { redis: { url: "redis://127.0.0.1:99999" } }'])).toEqual([`gateway.yaml:4:29: /facts/greylist/redis/url: "redis://127.0.0.1:99999" ${read}`]);
    expect(problems(['greylist: { redis: { url: "redis://127.0.0.1:6379", port: 1 } }'])).toEqual(['gateway.yaml:4:22: /facts/greylist/redis: give either url or host and port, not both']);
    expect(problems(['greylist: { recipientWhitelist: ["bob@acme.example", "@acme.example", "grey*@acme.example", acme.example] }'])).toEqual([
      'gateway.yaml:4:73: /facts/greylist/recipientWhitelist/2: "grey*@acme.example" is not an address (bob@acme.example) or a domain written @acme.example: patterns are not taken here',
      'gateway.yaml:4:95: /facts/greylist/recipientWhitelist/3: "acme.example" is not an address (bob@acme.example) or a domain written @acme.example: patterns are not taken here',
    ]);
  });
});

