/**
 * Every mistake of a gateway.yaml in one run: the checks the schema cannot make run on what
 * passed it. Trial 37: a typo (`clamav`, `listners`, `scanPeriod: -1`) was reported alone, and the
 * bad port, domain or hostname beside it only once the typo was fixed, one start after another.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from '../src/index';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mw-cfg-all-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problems(lines: string[], checkFiles = false): string[] {
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, `${lines.join('\n')}\n`);
  try {
    loadGatewayConfig(file, dir, { checkFiles });
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(GatewayConfigError);
    return (err as GatewayConfigError).problems.map((p) => p.replace(`${file}:`, ''));
  }
}

test('schema errors and the checks of the listeners, domain and delivery, together (trial 37 bad3.yaml)', () => {
  const found = problems([
    'listeners:',
    '  - listen: "127.0.0.1:0"',
    '    tls: { key: k.pem, cert: c.pem }',
    '    auth: { passwords: passwords }',
    '    direction: inbound',
    'delivery: { mode: smtp, hubs: ["127.0.0.1:25"], smarthost: { host: a.example } }',
    'facts: { clamav: { endpoint: { host: 127.0.0.1 } } }',
    'domain: "*.example"',
    'log: { level: verbose }',
  ]);
  expect(found).toEqual([
    '7:10: /facts must NOT have additional properties `clamav`; did you mean `clamd`?',
    '9:15: /log/level must be equal to one of the allowed values: debug, info, warn, error',
    '2:5: /listeners/0 takes logins (auth) but says direction: inbound, which would make logged-in users inbound too: leave direction out (logged-in users count as outbound, the others as the policy says)',
    expect.stringMatching(/^8:9: \/domain: "\*\.example" is not a domain name/),
    '6:60: /delivery/smarthost and /delivery/hubs both take the mail no route takes; keep one (send your own domains to hubs with routes)',
  ]);
});

test('a misspelt key does not hide a bad hub port, nor a bad number a bad hostname and postmaster (bad1.yaml, b9.yaml)', () => {
  expect(problems(['hostname: mx.test.example', 'listners:', '  - listen: "127.0.0.1:0"', 'delivery:', '  mode: smtp', '  hubs: ["127.0.0.1:70000"]'])).toEqual([
    '2:1: (top) must NOT have additional properties `listners`; did you mean `listeners`?',
    '6:10: /delivery/hubs/0 "127.0.0.1:70000" is not host or host:port with a port from 1 to 65535, e.g. "10.0.0.10:25"',
  ]);
  const found = problems(['hostname: "bad host"', 'postmaster: "Post <pm@x.example>"', 'queue: { scanPeriod: -1 }']);
  expect(found).toHaveLength(3);
  expect(found[0]).toBe('3:22: /queue/scanPeriod must be > 0');
  expect(found[1]).toMatch(/^1:11: \/hostname: "bad host" is not a host name/);
  expect(found[2]).toMatch(/^2:13: \/postmaster: "Post <pm@x.example>" is not a mail address/);
});

test('files that cannot be read are told in the same run as the other mistakes', () => {
  const found = problems(['policy: missing-policy.yaml', 'listeners:', '  - listen: "127.0.0.1:99999"', 'queue: { maxConn: 3 }'], true);
  expect(found).toEqual([
    '4:10: /queue must NOT have additional properties `maxConn`; did you mean `maxConns`?',
    '3:13: /listeners/0/listen: "127.0.0.1:99999" is not host:port with a port from 0 to 65535, e.g. "0.0.0.0:25", or fd:N / systemd:NAME for a socket passed by systemd',
    `1:9: /policy: ${join(dir, 'missing-policy.yaml')} does not exist`,
  ]);
});

test('a check whose input the schema refused is skipped, not run on it', () => {
  // A listen that is no string, a hub list that is no list, an endpoint of the wrong shape: their
  // schema errors alone, and the other listener's and the domain's checks still run.
  const found = problems([
    'listeners:',
    '  - listen: 2525',
    '  - listen: "127.0.0.1:587"',
    '    auth: { passwords: passwords }',
    'delivery: { mode: smtp, hubs: "10.0.0.10:25", smarthost: { host: a.example } }',
    'facts: { clamd: { endpoint: { host: "127.0.0.1:3310" } } }',
    'domain: "*.example"',
  ]);
  expect(found).toEqual([
    '6:29: /facts/clamd/endpoint needs host and port (TCP) or socket (a unix socket): "127.0.0.1:3310" has the port in it; write host: 127.0.0.1, port: 3310',
    '2:13: /listeners/0/listen must be string',
    '5:31: /delivery/hubs must be array',
    '3:5: /listeners/1 takes logins (auth) but has no tls: give it tls: { key, cert } (passwords never travel in clear)',
    expect.stringMatching(/^7:9: \/domain: "\*\.example" is not a domain name/),
  ]);
});

test('a file that is not a map gets the schema\'s word alone', () => {
  expect(problems(['- listen: "127.0.0.1:25"'])).toEqual(['1:1: (top) must be object']);
});

test('the bad lines of a password file, all of them, with the other mistakes (trial: told one at a time, after the spool was made)', () => {
  writeFileSync(join(dir, 'k.pem'), 'read, not checked: auth needs tls\n');
  writeFileSync(join(dir, 'passwords'), '# users\nbob\ncarol:bcrypt:10:c2FsdA==:aGFzaA==\n');
  const found = problems([
    'listeners:',
    '  - listen: "127.0.0.1:0"',
    '    tls: { key: k.pem, cert: k.pem }',
    '    auth: { passwords: passwords }',
    '  - listen: "127.0.0.1:70000"',
    '    tls: { key: k.pem, cert: k.pem }',
    '    auth: { passwords: passwords }',
  ], true);
  const passwords = join(dir, 'passwords');
  expect(found.filter((p) => !p.includes('/tls/'))).toEqual([
    '5:13: /listeners/1/listen: "127.0.0.1:70000" is not host:port with a port from 0 to 65535, e.g. "0.0.0.0:25", or fd:N / systemd:NAME for a socket passed by systemd',
    `${passwords}:2:1: expected user:scrypt:N:salt:hash, not a user name alone (make the line again with \`mailward passwd bob\`)`,
    `${passwords}:3:7: unknown hash scheme "bcrypt": only scrypt lines are read (expected user:scrypt:N:salt:hash); make the line again with \`mailward passwd carol\``,
  ]);
});

test('the policy\'s problems, each at its own file:line:col, with gateway.yaml\'s (trial: one set or the other)', () => {
  writeFileSync(join(dir, 'bad-policy.yaml'), 'version: 1\nrcpt:\n  rules:\n    - id: a\n      when: { recipent: x@y.example }\n      do: [ acept ]\n');
  const policy = join(dir, 'bad-policy.yaml');
  expect(problems(['policy: bad-policy.yaml', 'listeners:', '  - listen: "127.0.0.1:99999"'], true)).toEqual([
    '3:13: /listeners/0/listen: "127.0.0.1:99999" is not host:port with a port from 0 to 65535, e.g. "0.0.0.0:25", or fd:N / systemd:NAME for a socket passed by systemd',
    `${policy}:5:15: rule \`a\`: \`recipent\` is not known in \`when\`; did you mean \`recipient\`?`,
    `${policy}:6:13: rule \`a\`: \`acept\` is not allowed in entry 1 of \`do\`; did you mean \`accept\`? use one of: accept, reject, tempfail, drop, quarantine, strip, drop-part`,
  ]);
});

test('a domain the policy has no our-domains for is told with the rest; a bad domain only as such', () => {
  writeFileSync(join(dir, 'no-ours.yaml'), 'version: 1\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  expect(problems(['policy: no-ours.yaml', 'domain: acme.example', 'queue: { maxConn: 3 }'], true)).toEqual([
    '3:10: /queue must NOT have additional properties `maxConn`; did you mean `maxConns`?',
    `2:9: domain acme.example replaces the policy's list our-domains, but ${join(dir, 'no-ours.yaml')} has no list named our-domains: add one to the policy (lists: { our-domains: [acme.example] }), or leave out domain:`,
  ]);
  expect(problems(['policy: no-ours.yaml', 'domain: "*"'], true)).toEqual([expect.stringMatching(/^2:9: \/domain: "\*" is not a domain name/)]);
});

test('a key given twice is told with the other mistakes, and a file of no settings is an error (trial y2, y3)', () => {
  expect(problems(['spool: a', 'spool: b', 'admin: { listen: "127.0.0.1:99999" }'])).toEqual([
    '2:1: this key is given twice in its map: keep one of them',
    '3:18: /admin/listen: "127.0.0.1:99999" is not host:port with a port from 0 to 65535, e.g. "0.0.0.0:25"',
  ]);
  // An empty --config ran the embedded default policy on 127.0.0.1:2525, silently.
  expect(problems(['# nothing yet'])).toEqual([expect.stringMatching(/^1:1: the file holds no settings/)]);
});
