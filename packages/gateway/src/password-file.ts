import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number }) => Promise<Buffer>;

const N = 16384;

/** A password-file line for `user`: `user:scrypt:N:salt:hash` (base64), as `mailward passwd` prints it. */
export function passwordLine(user: string, password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N });
  return `${user}:scrypt:${N}:${salt.toString('base64')}:${hash.toString('base64')}`;
}

/**
 * Checks submission logins against a file of scrypt hashes, one `user:scrypt:N:salt:hash` line
 * per user. The file is read again when it changes, so users can be added without a restart.
 */
export class PasswordFile {
  private users = new Map<string, { n: number; salt: Buffer; hash: Buffer }>();
  private loadedText = '';

  constructor(private readonly path: string) {
    this.reload();
  }

  private reload(): void {
    const text = readFileSync(this.path, 'utf8');
    if (text === this.loadedText) return;
    const users = new Map<string, { n: number; salt: Buffer; hash: Buffer }>();
    text.split('\n').forEach((line, i) => {
      const t = line.trim();
      if (!t || t.startsWith('#')) return;
      const [user, kind, n, salt, hash] = t.split(':');
      if (!user || kind !== 'scrypt' || !n || !salt || !hash) throw new Error(`${this.path}:${i + 1}: expected user:scrypt:N:salt:hash (make one with \`mailward passwd USER\`)`);
      users.set(user, { n: Number(n), salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') });
    });
    this.users = users;
    this.loadedText = text;
  }

  /**
   * Whether the user and password match a line of the file. The hash runs in the thread pool:
   * scrypt costs tens of milliseconds by design, and on the event loop every AUTH (a password
   * guesser's above all) would stall every session of the gateway that long.
   */
  async check(user: string, password: string): Promise<boolean> {
    this.reload();
    const entry = this.users.get(user);
    // Hash anyway for an unknown user, so timing does not tell which users exist.
    const candidate = await scryptAsync(password, entry?.salt ?? Buffer.alloc(16), 32, { N: entry?.n ?? N });
    return entry !== undefined && timingSafeEqual(candidate, entry.hash);
  }
}
