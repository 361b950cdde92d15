import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';

describe("a client's TLS failure on a host with no 'error' listener", () => {
  let dir: string;
  let server: SMTPServer;
  let port: number;
  const lines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-client-errors-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=errors.test'], { stdio: 'ignore' });
    const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\n', 'test.yaml');
    server = createPolicyServer({
      policy: () => policy, store: memoryStore(async () => 'Q1'), log: (e) => lines.push(e),
      server: { secure: true, key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('is logged, not an unhandled error event that ends the process', async () => {
    // TLS 1.1 is below the adapter's minimum: the handshake fails on the server's side.
    const old = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    await new Promise<void>((r) => old.once('error', () => r()).once('close', () => r()));
    await new Promise((r) => setTimeout(r, 200));
    expect(lines).toContainEqual(expect.objectContaining({ event: 'client-error', client: '127.0.0.1' }));
    // And the server still serves.
    const next = tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false });
    const greeting = await new Promise<string>((r) => next.once('data', (b: Buffer) => r(b.toString())));
    next.destroy();
    expect(greeting).toMatch(/^220 /);
  });
});
