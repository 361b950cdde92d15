import { domainToASCII } from 'node:url';
import type { FactNeed, FactProviders, FactResult, Facts, LookupContext } from '../facts/facts';
import { domainOf } from '../match/address';
import { normalizeIp } from '../match/cidr';
import { isFqdn } from '../match/domain';
import type { GatherOptions } from './gather-facts';
import type { StageInput } from './input';
import type { Stage } from './stage';

/** Which provider answers a need: rules that need the same one are asked together (see gatherFacts). */
export function providerOf(need: FactNeed): keyof FactProviders {
  return need.kind === 'rhsbl' ? 'dnsbl' : need.kind;
}

/**
 * Asks the providers for these needs, all at once, each under its own timeout, and writes the
 * answers into `facts`. Failures, timeouts and missing providers become FactError values; this
 * never throws. `perPart`: whether a virus scan also scans each part (any rule of the stage wants it).
 */
export async function lookUp(
  needs: readonly FactNeed[],
  facts: Facts,
  stage: Stage,
  input: StageInput,
  providers: FactProviders,
  options: GatherOptions,
  perPart: boolean,
): Promise<void> {
  const jobs: Promise<void>[] = [];
  const ask = <T>(what: string, key: string | undefined, call: ((ctx: LookupContext) => Promise<T>) | undefined, store: (v: FactResult<T>) => void): void => {
    if (!call) {
      store({ error: `no ${what} provider is configured` });
      return;
    }
    // Message facts (spam, virus) are never memoised: the next transaction brings another message.
    const memo = key === undefined ? undefined : options.memo;
    let pending = memo?.get(key!) as Promise<FactResult<T>> | undefined;
    if (!pending) {
      pending = withTimeout(call, options.timeoutMs, what);
      memo?.set(key!, pending);
    }
    jobs.push(pending.then(store));
  };
  let scanned = false; // one virus scan serves both the whole-message and per-part needs

  for (const need of needs) {
    switch (need.kind) {
      case 'dnsbl': {
        const p = providers.dnsbl;
        const ip = normalizeIp(input.client.ip);
        ask('dnsbl', `dnsbl ${need.zone} ${ip}`, p && ((ctx) => p.call(providers, need.zone, ip, ctx)), (v) => ((facts.dnsbl ??= {})[need.zone] = v));
        break;
      }
      case 'rhsbl': {
        const p = providers.dnsbl;
        // As DNS spells it (an IDN as its A-label). The null sender, and an address literal
        // (a@[192.0.2.1]), have no domain a zone could list: listed nowhere.
        const domain = domainToASCII(domainOf(input.sender ?? ''));
        if (!isFqdn(domain)) (facts.rhsbl ??= {})[need.zone] = [];
        else ask('RHSBL', `rhsbl ${need.zone} ${domain}`, p && ((ctx) => p.call(providers, need.zone, domain, ctx)), (v) => ((facts.rhsbl ??= {})[need.zone] = v));
        break;
      }
      case 'resolves':
        for (const [name, of] of namesToResolve(need, stage, input)) {
          const p = providers.resolves;
          ask('DNS', `resolves ${of} ${name}`, p && ((ctx) => p.call(providers, name, of, ctx)), (v) => ((facts.resolves ??= {})[name] = v));
        }
        break;
      case 'spam': {
        const p = providers.spam;
        const message = options.message;
        if (!message) facts.spam = { error: 'no message to scan' };
        else ask('spam', undefined, p && ((ctx) => p.call(providers, message, ctx)), (v) => (facts.spam = v));
        break;
      }
      case 'virus': {
        if (scanned) break;
        scanned = true;
        const p = providers.virus;
        const message = options.message;
        if (!message) facts.virus = { error: 'no message to scan' };
        else ask('virus', undefined, p && ((ctx) => p.call(providers, message, options.model, perPart, ctx)), (v) => (facts.virus = v));
        break;
      }
      case 'greylist': {
        const p = providers.greylist;
        const recipient = input.recipient;
        if (recipient === undefined) break;
        const triplet = { client: normalizeIp(input.client.ip), sender: input.sender ?? '', recipient };
        ask('greylist', `greylist ${triplet.client} ${triplet.sender} ${recipient}`, p && ((ctx) => p.call(providers, triplet, ctx)), (v) => ((facts.greylist ??= {})[recipient] = v));
        break;
      }
      case 'recipientExists': {
        const p = providers.recipientExists;
        const addresses = stage === 'rcpt' && input.recipient !== undefined ? [input.recipient] : input.recipients;
        for (const address of addresses) {
          const key = address.toLowerCase();
          ask('recipient verification', `exists ${key}`, p && ((ctx) => p.call(providers, key, ctx)), (v) => ((facts.recipientExists ??= {})[key] = v));
        }
        break;
      }
    }
  }
  await Promise.all(jobs);
}

function namesToResolve(need: Extract<FactNeed, { kind: 'resolves' }>, stage: Stage, input: StageInput): [string, 'host' | 'domain'][] {
  const names: [string, 'host' | 'domain'][] = [];
  if (need.of === 'helo') {
    if (input.helo && isFqdn(input.helo)) names.push([input.helo.toLowerCase(), 'host']);
    return names;
  }
  const addresses = need.of === 'sender' ? [input.sender ?? ''] : stage === 'rcpt' && input.recipient !== undefined ? [input.recipient] : input.recipients;
  for (const a of addresses) {
    const d = domainOf(a);
    if (d && isFqdn(d) && !names.some(([n]) => n === d)) names.push([d, 'domain']);
  }
  return names;
}

/** Runs one lookup with an AbortSignal that fires after `ms`; any failure becomes a FactError. */
async function withTimeout<T>(call: (ctx: LookupContext) => Promise<T>, ms: number, what: string): Promise<FactResult<T>> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<FactResult<T>>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`${what} lookup timed out after ${ms} ms`));
      resolve({ error: `${what} lookup timed out after ${ms} ms` });
    }, ms);
  });
  const lookup = (async (): Promise<FactResult<T>> => {
    try {
      return await call({ signal: controller.signal });
    } catch (err) {
      return { error: `${what} lookup failed: ${(err as Error)?.message ?? String(err)}` };
    }
  })();
  try {
    return await Promise.race([lookup, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
