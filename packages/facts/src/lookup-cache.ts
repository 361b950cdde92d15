/** A bounded, expiring cache for lookups whose answer holds a while (DNS). */
export class LookupCache<T> {
  private readonly held = new Map<string, { value: T; expires: number }>();

  constructor(private readonly maxEntries: number, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  get(key: string): T | undefined {
    const hit = this.held.get(key);
    if (!hit) return undefined;
    if (hit.expires <= this.now()) {
      this.held.delete(key);
      return undefined;
    }
    return hit.value;
  }

  set(key: string, value: T): void {
    this.held.delete(key);
    this.held.set(key, { value, expires: this.now() + this.ttlMs });
    if (this.held.size > this.maxEntries) {
      const oldest = this.held.keys().next().value;
      if (oldest !== undefined) this.held.delete(oldest);
    }
  }
}
