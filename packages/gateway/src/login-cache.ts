import { createHmac, randomBytes } from 'node:crypto';

/**
 * Logins that passed a little while ago, so a client sending one message per connection does
 * not cost the IMAP server a login each time. Only successes are kept: a user who mistyped and
 * tries again is checked again. The password is never kept, only an HMAC of user and password
 * under a key made at start and held in memory only.
 */
export class LoginCache {
  private readonly key = randomBytes(32);
  /** digest -> when it expires (ms); Map order is insertion order, so the first is the oldest. */
  private readonly passed = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  private digest(user: string, password: string): string {
    return createHmac('sha256', this.key).update(`${user.length}:${user}`).update(password).digest('base64');
  }

  /** Whether this user logged in with this password less than the cache time ago. */
  has(user: string, password: string): boolean {
    if (this.ttlMs <= 0) return false;
    const d = this.digest(user, password);
    const expires = this.passed.get(d);
    if (expires === undefined) return false;
    if (expires > this.now()) return true;
    this.passed.delete(d);
    return false;
  }

  /** Remember a login that passed. */
  add(user: string, password: string): void {
    if (this.ttlMs <= 0) return;
    const d = this.digest(user, password);
    this.passed.delete(d);
    this.passed.set(d, this.now() + this.ttlMs);
    while (this.passed.size > this.maxEntries) this.passed.delete(this.passed.keys().next().value as string);
  }
}
