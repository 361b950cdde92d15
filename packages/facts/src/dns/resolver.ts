import { Resolver } from 'node:dns/promises';

export interface ResolverOptions {
  /** DNS servers ("127.0.0.1", "127.0.0.1:5353", "[::1]:53"); default: the system's. */
  servers?: string[];
  /** The longest one lookup waits for its answers, ms, whatever the servers and retries. Default 2000. */
  timeoutMs?: number;
  /**
   * c-ares' wait for the first answer of a try, ms (it doubles on the retry). Default: a share
   * of `timeoutMs` that fits every try to every server in it; a caller whose server may be slow
   * to recurse (MX delivery) gives more, and the deadline still holds.
   */
  tryMs?: number;
}

const TRIES = 2;

/**
 * A resolver per lookup, so an abort cancels only its own queries, and cancelled when the
 * lookup's time is up. c-ares' own timeout is per try and per server and doubles on each retry
 * (1.34 waited 4 s for `timeout: 1000, tries: 2`, 11 s for 2000 with two silent servers): each
 * try gets a share of the lookup's time, and the deadline holds whatever c-ares does with it.
 */
export function newResolver(options: ResolverOptions, signal?: AbortSignal): Resolver {
  const budget = options.timeoutMs ?? 2000;
  const servers = Math.max(1, options.servers?.length ?? 1);
  const resolver = new Resolver({ timeout: options.tryMs ?? Math.max(50, Math.floor(budget / (2 * TRIES * servers))), tries: TRIES });
  if (options.servers?.length) resolver.setServers(options.servers);
  signal?.addEventListener('abort', () => resolver.cancel(), { once: true });
  setTimeout(() => resolver.cancel(), budget).unref();
  return resolver;
}

/** True for the answers that mean "no such record" rather than "could not ask". */
export function isNoData(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NXDOMAIN';
}
