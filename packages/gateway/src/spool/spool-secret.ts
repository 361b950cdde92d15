import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The key of masqueraded Message-IDs when gateway.yaml sets no `secret`: random, made at the
 * first start and kept in the spool (`secret`, mode 0600), so ids stay stable across restarts
 * (threads keep working) and no two installations share a key. A key everyone knows would let
 * anyone test guessed internal ids against the masqueraded ones.
 */
export function spoolSecret(root: string): string {
  const path = join(root, 'secret');
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < 16) throw new Error(`${path} holds no usable key (fewer than 16 characters): remove it to have a new one made, or set secret in gateway.yaml`);
  return key;
}
