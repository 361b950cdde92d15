/**
 * hostname and postmaster go into the banner, EHLO and bounce headers as written: both are
 * checked at file:line:col. Trial 4: `hostname: "mx 1\r\nX"` put a line of its own in each.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from '../src/index';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'mw-identity-'))));
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

test('a hostname with a space and CRLF, and a postmaster that is no address: each at its file:line:col', () => {
  const text = problems('hostname: "mx 1\\r\\nX"\npostmaster: "not an address"\n');
  expect(text).toContain('gateway.yaml:1:11: /hostname: "mx 1\\r\\nX" is not a host name: write this gateway\'s name as DNS knows it');
  expect(text).toContain('gateway.yaml:2:13: /postmaster: "not an address" is not a mail address: write one such as postmaster@acme.example');
});

test.each(['<postmaster@acme.example>', 'Postmaster postmaster@acme.example', 'postmaster@', 'pm@acme.example\r\nBcc: x@y'])('postmaster %j is refused', (pm) => {
  expect(problems(`postmaster: ${JSON.stringify(pm)}\n`)).toMatch(/\/postmaster: .* is not a mail address/);
});

test('names and address literals pass', () => {
  expect(problems('hostname: mx1.acme.example\npostmaster: postmaster@acme.example\n')).toBe('no error');
  expect(problems('hostname: "[192.0.2.1]"\npostmaster: "first.last+bounces@[IPv6:2001:db8::1]"\n')).toBe('no error');
});
