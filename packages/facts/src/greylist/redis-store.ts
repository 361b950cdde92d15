import type Redis from 'ioredis';
import type { GreylistEntry, GreylistStore } from './store';

/** ioredis, loaded when a Redis store is made: a gateway without one does not carry it (about 10 MB of RSS). */
function redisClass(): typeof Redis {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('ioredis') as typeof import('ioredis')).default;
}

export interface RedisStoreOptions {
  url?: string;
  host?: string;
  port?: number;
  /** Key prefix, so several policies can share one Redis. Default "mailward:greylist:". */
  prefix?: string;
  /** Each command's answer, ms: a Redis that hangs fails the lookup instead of holding RCPT. Default 2000. */
  timeoutMs?: number;
}

/** Greylist state in Redis with TTLs: gateways behind the same MX share it. */
export class RedisGreylistStore implements GreylistStore {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly where: string;
  private readonly timeoutMs: number;
  /** Why the connection is down ("connect ECONNREFUSED ..."), while it is. */
  private down: string | undefined;

  constructor(options: RedisStoreOptions) {
    this.timeoutMs = options.timeoutMs ?? 2000;
    const common = { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true, commandTimeout: this.timeoutMs, connectTimeout: this.timeoutMs };
    const RedisClient = redisClass();
    this.redis = options.url
      ? new RedisClient(options.url, common)
      : new RedisClient({ host: options.host ?? '127.0.0.1', port: options.port ?? 6379, ...common });
    this.where = options.url ? options.url.replace(/\/\/[^@/]*@/, '//') : `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
    // Each command reports its own failure; the connection's error says why it failed.
    this.redis.on('error', (err: Error) => (this.down = err.message));
    this.redis.on('ready', () => (this.down = undefined));
    this.prefix = options.prefix ?? 'mailward:greylist:';
  }

  async get(key: string): Promise<GreylistEntry | undefined> {
    const raw = await this.run(() => this.redis.get(this.prefix + key));
    return raw ? (JSON.parse(raw) as GreylistEntry) : undefined;
  }

  async create(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<boolean> {
    return (await this.run(() => this.redis.set(this.prefix + key, JSON.stringify(entry), 'EX', ttlSeconds, 'NX'))) === 'OK';
  }

  async put(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<void> {
    await this.run(() => this.redis.set(this.prefix + key, JSON.stringify(entry), 'EX', ttlSeconds));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  /** A command, its failure named by the server and the cause (not ioredis' "max retries per request"). */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (err) {
      const message = (err as Error).message;
      const why = message === 'Command timed out' ? `no answer within ${this.timeoutMs} ms` : (this.down ?? message);
      throw new Error(`redis ${this.where}: ${why}`);
    }
  }
}
