import type { GreylistEntry, GreylistStore } from './store';

/** In-process greylist state, bounded: the oldest entries go first when full. */
export class MemoryGreylistStore implements GreylistStore {
  private readonly entries = new Map<string, { entry: GreylistEntry; expires: number }>();

  constructor(private readonly maxEntries = 100_000, private readonly now: () => number = Date.now) {}

  async get(key: string): Promise<GreylistEntry | undefined> {
    const held = this.entries.get(key);
    if (!held) return undefined;
    if (held.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { ...held.entry };
  }

  async create(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<boolean> {
    if (await this.get(key)) return false;
    await this.put(key, entry, ttlSeconds);
    return true;
  }

  async put(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { entry: { ...entry }, expires: this.now() + ttlSeconds * 1000 });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
