import type { Reply, Verdict } from '../engine/stage';

/** What the matchers read: a Decision or a session result. */
interface Decided {
  verdict: Verdict;
  reply: Reply;
  fired: string[];
}

interface MatcherResult {
  pass: boolean;
  message(): string;
}

function isDecided(value: unknown): value is Decided {
  const v = value as Partial<Decided> | null;
  return !!v && typeof v.verdict === 'string' && Array.isArray(v.fired) && typeof v.reply === 'object';
}

function notDecided(received: unknown): MatcherResult {
  return { pass: false, message: () => `expected a Decision or session result, got ${JSON.stringify(received)}` };
}

/**
 * jest matchers for decisions and session results: `expect.extend(policyMatchers)`, then
 * `expect(decision).toHaveVerdict('reject')`, `.toHaveReply(550, '5.7.1')`, `.toHaveFired('rule')`.
 */
export const policyMatchers = {
  /** The verdict is `verdict`. */
  toHaveVerdict(received: unknown, verdict: Verdict): MatcherResult {
    if (!isDecided(received)) return notDecided(received);
    const pass = received.verdict === verdict;
    return { pass, message: () => `expected verdict ${pass ? 'not ' : ''}${verdict}, got ${received.verdict} (${received.reply.code} ${received.reply.text})` };
  },
  /** The reply has this code (and enhanced status, when given). */
  toHaveReply(received: unknown, code: number, status?: string): MatcherResult {
    if (!isDecided(received)) return notDecided(received);
    const r = received.reply;
    const pass = r.code === code && (status === undefined || r.status === status);
    return { pass, message: () => `expected reply ${pass ? 'not ' : ''}${code}${status ? ` ${status}` : ''}, got ${r.code} ${r.status} ${r.text}` };
  },
  /** Each of these rules fired (others may have too). */
  toHaveFired(received: unknown, ...rules: string[]): MatcherResult {
    if (!isDecided(received)) return notDecided(received);
    const missing = rules.filter((r) => !received.fired.includes(r));
    const pass = missing.length === 0;
    return {
      pass,
      message: () => (pass ? `expected ${rules.join(', ')} not to fire` : `expected ${missing.join(', ')} to fire; fired: [${received.fired.join(', ')}]`),
    };
  },
};

declare global {
  // Merges with @types/jest when present, so `expect(x).toHaveVerdict(...)` type-checks.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveVerdict(verdict: Verdict): R;
      toHaveReply(code: number, status?: string): R;
      toHaveFired(...rules: string[]): R;
    }
  }
}
