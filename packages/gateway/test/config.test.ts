import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from '../src/index';

describe('gateway.yaml', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mw-cfg-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the example of docs/gateway.md, with paths relative to the file and seconds made ms', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/gateway.md'), 'utf8');
    const example = /## gateway\.yaml\n\n```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    writeFileSync(join(dir, 'gateway.yaml'), example);
    const config = loadGatewayConfig(join(dir, 'gateway.yaml'));
    expect(config.policy).toBe(join(dir, 'policy.yaml'));
    expect(config.listeners[0]!.tls!.key).toBe(join(dir, 'tls/key.pem'));
    expect(config.queue).toMatchObject({ scanPeriod: 2000, resendPeriod: 600_000, maxConns: 10 });
    expect(config.delivery).toMatchObject({ mode: 'smtp', maxConnsPerSite: 5 });
  });

  it('submission auth against an IMAP server: ca relative to the file, seconds made ms; one of passwords or imap required', () => {
    writeFileSync(join(dir, 'gateway.yaml'), [
      'listeners:',
      '  - listen: "127.0.0.1:587"',
      '    tls: { key: key.pem, cert: cert.pem }',
      '    auth: { imap: { host: imap.acme.example, tls: starttls, ca: tls/imap-ca.pem, timeout: 5, cacheTime: 60 } }',
      '  - listen: "127.0.0.1:588"',
      '    tls: { key: key.pem, cert: cert.pem }',
      '    auth: { passwords: passwords, imap: { host: imap.acme.example } }',
      '',
    ].join('\n'));
    const [first, second] = loadGatewayConfig(join(dir, 'gateway.yaml')).listeners;
    expect(first!.auth).toEqual({ imap: { host: 'imap.acme.example', tls: 'starttls', ca: join(dir, 'tls/imap-ca.pem'), timeout: 5000, cacheTime: 60_000 } });
    expect(second!.auth).toEqual({ passwords: join(dir, 'passwords'), imap: { host: 'imap.acme.example' } });
    writeFileSync(join(dir, 'gateway.yaml'), 'listeners:\n  - listen: "127.0.0.1:587"\n    auth: {}\n  - listen: "127.0.0.1:588"\n    auth: { imap: { host: h, tls: plain, port: 70000 } }\n');
    const text = (() => {
      try {
        loadGatewayConfig(join(dir, 'gateway.yaml'));
        return 'no error';
      } catch (err) {
        return (err as GatewayConfigError).problems.join('\n');
      }
    })();
    expect(text).toMatch(/gateway\.yaml:3:11: \/listeners\/0\/auth must have required property 'imap'/);
    expect(text).toMatch(/gateway\.yaml:5:\d+: \/listeners\/1\/auth\/imap\/tls must be equal to one of the allowed values/);
    expect(text).toMatch(/gateway\.yaml:5:\d+: \/listeners\/1\/auth\/imap\/port must be <= 65535/);
  });

  it('refuses two listeners on one socket at their file:line:col, before the spool is made', () => {
    const problems = (listeners: string[]): string => {
      writeFileSync(join(dir, 'gateway.yaml'), `listeners:\n${listeners.map((l) => `  - listen: "${l}"\n`).join('')}`);
      try {
        loadGatewayConfig(join(dir, 'gateway.yaml'));
        return 'no error';
      } catch (err) {
        return (err as GatewayConfigError).problems.join('\n');
      }
    };
    expect(problems(['127.0.0.1:26011', '127.0.0.1:26011'])).toMatch(/gateway\.yaml:3:\d+: \/listeners\/1\/listen: "127\.0\.0\.1:26011" is also listeners\/0's address/);
    expect(problems(['0.0.0.0:25', '127.0.0.1:25'])).toMatch(/\/listeners\/1\/listen: "127\.0\.0\.1:25" is also listeners\/0's address \("0\.0\.0\.0:25"\)/);
    expect(problems(['[::]:25', '[::1]:25'])).toMatch(/is also listeners\/0's address/);
    // Port 0 is any free port, and other ports or hosts are other sockets.
    expect(problems(['127.0.0.1:0', '127.0.0.1:0', '127.0.0.1:25', '127.0.0.2:25', '127.0.0.1:587', '[::1]:25'])).toBe('no error');
    expect(problems(['0.0.0.0:25', '[::1]:25'])).toBe('no error'); // an IPv4 wildcard leaves IPv6 alone
    expect(problems(['fd:3', 'fd:3'])).toMatch(/\/listeners\/1\/listen: "fd:3" is also listeners\/0's socket: each inherited socket serves one listener/);
    expect(problems(['fd:3', 'fd:3'])).not.toMatch(/another port/);
  });

  it('names file:line:col and what to change for every mistake', () => {
    writeFileSync(join(dir, 'gateway.yaml'), 'hostname: gw\nlisteners:\n  - listen: "127.0.0.1:25"\n    zone: red\ndelivery: { mode: carrier-pigeon }\n');
    try {
      loadGatewayConfig(join(dir, 'gateway.yaml'));
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(GatewayConfigError);
      const text = (err as GatewayConfigError).problems.join('\n');
      expect(text).toMatch(/gateway\.yaml:4:5: .*`zone`; remove it or check its spelling/);
      expect(text).not.toMatch(/did you mean/); // nothing close to zone
      expect(text).toMatch(/gateway\.yaml:5:\d+: \/delivery\/mode must be equal to one of the allowed values: smtp, maildir$/m);
    }
  });

  it('checks each listener before anything starts: its port, and TLS where it takes logins or is secure', () => {
    writeFileSync(join(dir, 'gateway.yaml'), [
      'listeners:',
      '  - listen: "127.0.0.1:99999"',
      '  - listen: "0.0.0.0"',
      '  - listen: "127.0.0.1:587"',
      '    auth: { passwords: passwords }',
      '  - listen: "127.0.0.1:465"',
      '    secure: true',
      '  - listen: "127.0.0.1:2587"',
      '    direction: inbound',
      '    tls: { key: k.pem, cert: c.pem }',
      '    auth: { passwords: passwords }',
      '',
    ].join('\n'));
    let text = 'no error';
    try {
      loadGatewayConfig(join(dir, 'gateway.yaml'));
    } catch (err) {
      text = (err as GatewayConfigError).problems.join('\n');
    }
    expect(text).toMatch(/gateway\.yaml:2:13: \/listeners\/0\/listen: "127\.0\.0\.1:99999" is not host:port with a port from 0 to 65535/);
    expect(text).toMatch(/gateway\.yaml:3:13: \/listeners\/1\/listen: "0\.0\.0\.0" is not host:port/);
    expect(text).toMatch(/gateway\.yaml:4:5: \/listeners\/2 takes logins \(auth\) but has no tls: give it tls: \{ key, cert \}/);
    expect(text).toMatch(/gateway\.yaml:6:5: \/listeners\/3 is secure but has no tls/);
    // Logged-in users count as outbound; a listener's direction would override that for them too.
    expect(text).toMatch(/gateway\.yaml:8:5: \/listeners\/4 takes logins \(auth\) but says direction: inbound, which would make logged-in users inbound too: leave direction out \(logged-in users count as outbound, the others as the policy says\)/);
  });

  it('checks the admin listener\'s listen like a listener\'s', () => {
    // 127.0.0.1:99999 stopped the start with node's "options.port should be >= 0 and < 65536", without file:line:col.
    writeFileSync(join(dir, 'gateway.yaml'), 'admin: { listen: "127.0.0.1:99999" }\nlisteners:\n  - listen: "not a host:25"\n');
    let text = 'no error';
    try {
      loadGatewayConfig(join(dir, 'gateway.yaml'));
    } catch (err) {
      text = (err as GatewayConfigError).problems.join('\n');
    }
    expect(text).toMatch(/gateway\.yaml:1:18: \/admin\/listen: "127\.0\.0\.1:99999" is not host:port with a port from 0 to 65535/);
    expect(text).toMatch(/gateway\.yaml:3:13: \/listeners\/0\/listen: "not a host:25" is not host:port/);
  });

  it('checks the facts section: a misspelt provider or option is an error, not a scanner left out', () => {
    // `clamav:` (for clamd) and `endpont:` loaded, and the gateway ran without the virus scanner
    // the admin thought was on: every virus rule then failed at each message (451 by default).
    writeFileSync(join(dir, 'gateway.yaml'), [
      'facts:',
      '  clamav: { endpoint: { socket: /run/clamav/clamd.ctl } }',
      '  spamd: { endpont: { host: 127.0.0.1, port: 783 } }',
      '  dns: { servers: [127.0.0.1], timeout: 2 }',
      '  greylist: { delay: 300, redis: { host: 127.0.0.1, port: 6379 } }',
      '',
    ].join('\n'));
    let text = 'no error';
    try {
      loadGatewayConfig(join(dir, 'gateway.yaml'));
    } catch (err) {
      text = (err as GatewayConfigError).problems.join('\n');
    }
    expect(text).toMatch(/gateway\.yaml:2:3: \/facts .*`clamav`; did you mean `clamd`\?/);
    expect(text).toMatch(/gateway\.yaml:3:\d+: \/facts\/spamd must have required property 'endpoint'/);
    expect(text).toMatch(/gateway\.yaml:3:12: \/facts\/spamd .*`endpont`; did you mean `endpoint`\?/);
    expect(text).toMatch(/gateway\.yaml:4:\d+: \/facts\/dns .*`timeout`; did you mean `timeoutMs`\?/);
    expect(text).not.toMatch(/greylist/);
  });

  it('names an unknown built-in policy with file:line:col and the one there is', () => {
    // builtin:firebox-outbound stopped the start with "ENOENT: no such file or directory, open 'builtin:firebox-outbound'".
    writeFileSync(join(dir, 'gateway.yaml'), 'hostname: gw\npolicy: builtin:firebox-outbound\n');
    let text = 'no error';
    try {
      loadGatewayConfig(join(dir, 'gateway.yaml'), dir, { checkFiles: true });
    } catch (err) {
      text = (err as GatewayConfigError).problems.join('\n');
    }
    expect(text).toBe(`${join(dir, 'gateway.yaml')}:2:9: /policy: builtin:firebox-outbound is not a built-in policy (the one there is: builtin:firebox-inbound); give the path of a policy file instead (Mailward's examples/ folder has several to copy)`);
  });

  it('suggests the key a misspelt one is closest to, as policies do', () => {
    writeFileSync(join(dir, 'gateway.yaml'), 'hostnme: gw.example\nlisteners:\n  - listen: "127.0.0.1:25"\n    drection: inbound\nqueue: { scanPeriodd: 2 }\n');
    const text = (() => {
      try {
        loadGatewayConfig(join(dir, 'gateway.yaml'));
        return 'no error';
      } catch (err) {
        return (err as GatewayConfigError).problems.join('\n');
      }
    })();
    expect(text).toMatch(/gateway\.yaml:1:1: .*`hostnme`; did you mean `hostname`\?/);
    expect(text).toMatch(/gateway\.yaml:4:5: .*`drection`; did you mean `direction`\?/);
    expect(text).toMatch(/gateway\.yaml:5:\d+: .*`scanPeriodd`; did you mean `scanPeriod`\?/);
  });
});
