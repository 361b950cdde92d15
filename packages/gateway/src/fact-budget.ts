import type { FactsConfig } from '@mailward/facts';

/** The budget each lookup gets unless a provider's own timeout asks for more. */
const LEAST_MS = 20_000;

/**
 * Each fact lookup's budget: at least 20 s, and twice the scanners' own timeouts and a second
 * (clamd's and spamd's 30 s by default), so a `timeoutMs` raised for big messages takes effect,
 * and a scanner that does not answer fails with its own words ("clamd ...: no answer within
 * 60000 ms"). Twice: theirs is an idle timeout, which sending the message and then scanning it
 * may each take up to without a word of failure.
 */
export function factBudgetMs(facts: FactsConfig | undefined): number {
  const own = [
    facts?.clamd ? (facts.clamd.timeoutMs ?? 30_000) : 0,
    facts?.spamd ? (facts.spamd.timeoutMs ?? 30_000) : 0,
    facts?.verify?.timeoutMs ?? 0,
  ];
  return Math.max(LEAST_MS, ...own.map((ms) => 2 * ms + 1000));
}
