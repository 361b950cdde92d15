import type { Endpoint } from '../net/endpoint';
import { LookupCache } from '../lookup-cache';
import { probeRecipient } from './smtp-probe';

export interface VerifyOptions {
  /** The hub(s) that know the mailboxes, asked in order until one answers. */
  hubs: Endpoint[];
  helo?: string;
  timeoutMs?: number;
  /** How long an answer is kept, ms (default 10 min for "exists", 2 min for "unknown"). */
  existsTtlMs?: number;
  unknownTtlMs?: number;
  cacheSize?: number;
}

/**
 * Endian's "recipient address verification": unknown users are refused at RCPT instead of
 * bounced after the 250. Answers are cached so a flood of guesses does not reach the hub.
 */
export class RecipientVerifier {
  private readonly known: LookupCache<boolean>;
  private readonly unknown: LookupCache<boolean>;

  constructor(private readonly options: VerifyOptions) {
    this.known = new LookupCache(options.cacheSize ?? 10_000, options.existsTtlMs ?? 600_000);
    this.unknown = new LookupCache(options.cacheSize ?? 10_000, options.unknownTtlMs ?? 120_000);
  }

  /** Whether a hub accepts the address. */
  async exists(address: string, signal?: AbortSignal): Promise<boolean> {
    const key = address.toLowerCase();
    if (this.known.get(key)) return true;
    if (this.unknown.get(key)) return false;
    let lastError: Error | undefined;
    for (const hub of this.options.hubs) {
      try {
        const answer = await probeRecipient(hub, address, this.options, signal);
        (answer ? this.known : this.unknown).set(key, true);
        return answer;
      } catch (err) {
        lastError = err as Error;
      }
    }
    throw new Error(`recipient verification of ${address}: ${lastError?.message ?? 'no hub configured'}`);
  }
}
