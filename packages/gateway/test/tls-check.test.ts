/**
 * A listener's TLS key and cert are checked as a pair when gateway.yaml is loaded, a problem of
 * one file at the key that names it, a mismatch at the listener's tls, the files named. Trial 4:
 * a garbage key or a key of another pair stopped the start only at listen, with OpenSSL's text
 * alone, after the spool was made. A later trial: key and cert swapped flagged the key alone.
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
    if (!(err instanceof GatewayConfigError)) throw err;
    return (err as GatewayConfigError).problems.join('\n');
  }
}

test('a matching pair passes', () => {
  expect(problems('a-key.pem', 'a-cert.pem')).toBe('no error');
});

test('a key that is not PEM: named, at the key', () => {
  expect(problems('garbage.pem', 'a-cert.pem')).toMatch(new RegExp(`^.*gateway\\.yaml:3:17: /listeners/0/tls/key: ${join(dir, 'garbage.pem')} is not a PEM private key`));
});

test('a cert that is not PEM: named, at the cert', () => {
  expect(problems('a-key.pem', 'garbage.pem')).toMatch(new RegExp(`^.*gateway\\.yaml:3:34: /listeners/0/tls/cert: ${join(dir, 'garbage.pem')} is not a PEM certificate`));
});

test('key and cert swapped: both told, each as what it is', () => {
  expect(problems('a-cert.pem', 'a-key.pem').split('\n').map((p) => p.replace(/^.*gateway\.yaml:/, ''))).toEqual([
    `3:17: /listeners/0/tls/key: ${join(dir, 'a-cert.pem')} is a certificate, not a private key: did you swap key and cert?`,
    `3:35: /listeners/0/tls/cert: ${join(dir, 'a-key.pem')} is a private key, not a certificate: did you swap key and cert?`,
  ]);
});

test('the certificate named twice: the key is told to be the key', () => {
  expect(problems('a-cert.pem', 'a-cert.pem')).toMatch(new RegExp(`^.*gateway\\.yaml:3:17: /listeners/0/tls/key: ${join(dir, 'a-cert.pem')} is a certificate, not a private key: give the PEM private key of the certificate here$`));
});

test('a garbage key and a key for cert: both told', () => {
  const found = problems('garbage.pem', 'b-key.pem').split('\n');
  expect(found).toHaveLength(2);
  expect(found[0]).toContain(`/listeners/0/tls/key: ${join(dir, 'garbage.pem')} is not a PEM private key`);
  expect(found[1]).toContain(`/listeners/0/tls/cert: ${join(dir, 'b-key.pem')} is a private key, not a certificate: give the PEM certificate of the key here`);
});

test('a key of another pair: both files named', () => {
  expect(problems('b-key.pem', 'a-cert.pem')).toContain(`/listeners/0/tls: key ${join(dir, 'b-key.pem')} is not the key of cert ${join(dir, 'a-cert.pem')}`);
});
