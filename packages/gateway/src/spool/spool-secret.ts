import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'EEXIST') {
      // Not there before (else EEXIST): one created empty on a full disk must not stay as the key.
      rmSync(path, { force: true });
      throw Object.assign(new Error(`cannot write the spool's key ${path}: ${e.message}: free space on the spool's file system, or set secret in gateway.yaml`), { code: e.code });
    }
  }
  const key = readFileSync(path, 'utf8').trim();
  if (key.length < 16) throw new Error(`${path} holds no usable key (fewer than 16 characters): remove it to have a new one made, or set secret in gateway.yaml`);
  return key;
}
