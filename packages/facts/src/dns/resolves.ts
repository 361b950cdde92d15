import { isNoData, newResolver, type ResolverOptions } from './resolver';

/** Does a host have an address, or a domain an address or a mail exchanger? */
export async function nameResolves(name: string, of: 'host' | 'domain', options: ResolverOptions, signal?: AbortSignal): Promise<boolean> {
  const resolver = newResolver(options, signal);
  const bare = name.replace(/\.$/, '');
  const lookups: Promise<unknown[]>[] = [resolver.resolve4(bare), resolver.resolve6(bare)];
  if (of === 'domain') lookups.push(resolver.resolveMx(bare));
  const results = await Promise.allSettled(lookups);
  if (results.some((r) => r.status === 'fulfilled' && r.value.length > 0)) return true;
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !isNoData(r.reason));
  if (failure) throw new Error(`DNS ${bare}: ${(failure.reason as Error).message}`);
  return false;
}
