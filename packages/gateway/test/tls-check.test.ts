/**
 * A listener's TLS key and cert are checked as a pair when gateway.yaml is loaded, each problem
 * at the listener's tls with the files named. Trial 4: a garbage key or a key of another pair
 * stopped the start only at listen, with OpenSSL's text alone, after the spool was made.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayConfigError, loadGatewayConfig } from '../src/index';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-tlscheck-'));
  for (const pair of ['a', 'b']) {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, `${pair}-key.pem`), '-out', join(dir, `${pair}-cert.pem`), '-days', '1', '-subj', '/CN=gw.test'], { stdio: 'ignore' });
  }
  writeFileSync(join(dir, 'garbage.pem'), 'this is not PEM\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problems(key: string, cert: string): string {
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, `listeners:\n  - listen: "127.0.0.1:0"\n    tls: { key: ${key}, cert: ${cert} }\n`);
  try {
    loadGatewayConfig(file, dir, { checkFiles: true });
    return 'no error';
  } catch (err) {
    return (err as GatewayConfigError).problems.join('\n');
  }
}

test('a matching pair passes', () => {
  expect(problems('a-key.pem', 'a-cert.pem')).toBe('no error');
});

test('a key that is not PEM: named, at the listener', () => {
  expect(problems('garbage.pem', 'a-cert.pem')).toMatch(new RegExp(`^.*gateway\\.yaml:3:10: /listeners/0/tls: key ${join(dir, 'garbage.pem')} is not a PEM private key`));
});

test('a cert that is not PEM: named', () => {
  expect(problems('a-key.pem', 'garbage.pem')).toContain(`/listeners/0/tls: cert ${join(dir, 'garbage.pem')} is not a PEM certificate`);
});

test('a key of another pair: both files named', () => {
  expect(problems('b-key.pem', 'a-cert.pem')).toContain(`/listeners/0/tls: key ${join(dir, 'b-key.pem')} is not the key of cert ${join(dir, 'a-cert.pem')}`);
});
