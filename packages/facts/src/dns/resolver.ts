import { Resolver } from 'node:dns/promises';

export interface ResolverOptions {
  /** DNS servers ("127.0.0.1", "127.0.0.1:5353", "[::1]:53"); default: the system's. */
  servers?: string[];
  /** Per-query timeout, ms. Default 2000. */
  timeoutMs?: number;
}

/** A resolver per lookup, so an abort cancels only its own queries. */
export function newResolver(options: ResolverOptions, signal?: AbortSignal): Resolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: 2 });
  if (options.servers?.length) resolver.setServers(options.servers);
  signal?.addEventListener('abort', () => resolver.cancel(), { once: true });
  return resolver;
}

/** True for the answers that mean "no such record" rather than "could not ask". */
export function isNoData(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NXDOMAIN';
}
