/** `domain:` becomes the policy's our-domains: only a plain domain name, or it opens the relay. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig, loadGatewayPolicy } from '../src/index';
import { isDomainName } from '../src/domain-name';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mw-domain-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problems(yaml: string): string {
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, yaml);
  try {
    loadGatewayConfig(file, dir);
    return 'no error';
  } catch (err) {
    return (err as GatewayConfigError).problems.join('\n');
  }
}

test.each(['acme.example', 'mail-1.acme.example', 'bücher.example', 'localhost'])('%s is a domain name', (d) => {
  expect(isDomainName(d)).toBe(true);
});

test.each(['*', '*.acme.example', 're:.*', '@our-domains', 'acme example', 'acme.example.', '-acme.example', 'a..b', '', 'acme_x.example'])('"%s" is not', (d) => {
  expect(isDomainName(d)).toBe(false);
});

test('a wildcard, re: or @list in gateway.yaml domain: is refused at its file:line:col, saying what to write', () => {
  for (const bad of ['"*"', '"re:.*"', '"@our-domains"']) {
    const text = problems(`policy: builtin:firebox-inbound\ndomain: ${bad}\nlisteners:\n  - listen: "127.0.0.1:0"\n`);
    expect(text).toMatch(/gateway\.yaml:2:9: \/domain: ".*" is not a domain name: write one plain domain such as acme\.example/);
  }
  expect(problems('domain: acme.example\n')).toBe('no error');
});

test('a policy without our-domains: the error names where domain was set', () => {
  const policy = join(dir, 'policy.yaml');
  writeFileSync(policy, 'version: 1\nrules: []\n');
  expect(() => loadGatewayPolicy(policy, 'acme.example', 'gateway.yaml:2:9: domain')).toThrow(
    /^gateway\.yaml:2:9: domain acme\.example replaces the policy's list our-domains, but .*policy\.yaml has no list named our-domains: add one .* or leave out domain:$/,
  );
  expect(() => loadGatewayPolicy(policy, 'acme.example')).toThrow(/^--domain acme\.example replaces .* or leave out --domain$/);
  // A config made in code, not read from a file, is checked too.
  expect(() => loadGatewayPolicy('builtin:firebox-inbound', '*')).toThrow(/--domain: "\*" is not a domain name/);
});
