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
}

/** Greylist state in Redis with TTLs: gateways behind the same MX share it. */
export class RedisGreylistStore implements GreylistStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(options: RedisStoreOptions) {
    const common = { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true };
    const RedisClient = redisClass();
    this.redis = options.url
      ? new RedisClient(options.url, common)
      : new RedisClient({ host: options.host ?? '127.0.0.1', port: options.port ?? 6379, ...common });
    this.redis.on('error', () => undefined); // each command reports its own failure
    this.prefix = options.prefix ?? 'mailward:greylist:';
  }

  async get(key: string): Promise<GreylistEntry | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    return raw ? (JSON.parse(raw) as GreylistEntry) : undefined;
  }

  async create(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, JSON.stringify(entry), 'EX', ttlSeconds, 'NX')) === 'OK';
  }

  async put(key: string, entry: GreylistEntry, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(entry), 'EX', ttlSeconds);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
