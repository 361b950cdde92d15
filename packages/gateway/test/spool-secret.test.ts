/**
 * Without `secret` in gateway.yaml, masqueraded Message-IDs are keyed with a random key the
 * gateway keeps in its spool: stable across restarts, never the same for two installations.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { spoolSecret } from '../src/spool/spool-secret';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mw-spool-secret-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('is made at the first start, mode 0600, and the same at the next', async () => {
  const quiet = createLog('error', () => undefined, false);
  const config = { ...defaultConfig(dir), listeners: [{ listen: '127.0.0.1:0' }] };
  expect(config.secret).toBeUndefined();
  const first = await startGateway(config, quiet);
  await first.stop(1000);
  const path = join(dir, 'var', 'spool', 'secret');
  const key = readFileSync(path, 'utf8');
  expect(key).toMatch(/^[0-9a-f]{64}\n$/);
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const second = await startGateway(config, quiet);
  await second.stop(1000);
  expect(readFileSync(path, 'utf8')).toBe(key);
});

it('differs between two spools', () => {
  const other = mkdtempSync(join(tmpdir(), 'mw-spool-secret-other-'));
  try {
    expect(spoolSecret(dir)).not.toBe(spoolSecret(other));
    expect(spoolSecret(dir)).toBe(spoolSecret(dir));
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
});

it('refuses a key file emptied by hand, saying what to do', () => {
  writeFileSync(join(dir, 'secret'), '\n');
  expect(() => spoolSecret(dir)).toThrow(/holds no usable key .*remove it to have a new one made, or set secret in gateway\.yaml/);
});
