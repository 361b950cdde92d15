/**
 * The shared shape of a condition: what compiling one gets, and how a condition made of
 * several sub-checks (`client: { ip, tls }`) reports its outcome.
 */
import type { ConditionTrace } from '../../engine/decision';
import type { Stage } from '../../engine/stage';
import type { FactNeed } from '../../facts/facts';
import type { CompileScope, PolicyPath } from '../compile-scope';
import type { CompiledCondition, ConditionOutcome, EvalContext } from '../compiled-policy';

/** One condition of the language: the stages where it is known, and its compiler. */
export interface ConditionSpec {
  /** The earliest stage that knows the value. */
  readonly since: Stage;
  /** Set when the condition is known at exactly one stage (greylist at rcpt). */
  readonly only?: Stage;
  compile(value: unknown, scope: CompileScope, path: PolicyPath, name: string): CompiledCondition;
}

/** One check of a condition: the value it reads, the pattern it shows, and the test. */
export interface Check {
  readonly condition: string;
  readonly pattern: string;
  readonly needs?: readonly FactNeed[];
  read(ctx: EvalContext): unknown;
  test(value: unknown, ctx: EvalContext): boolean;
}

/** A single-value outcome. */
export function leaf(condition: string, value: unknown, pattern: string, result: boolean): ConditionOutcome {
  const trace: ConditionTrace = { condition, value, pattern, result };
  return { result, trace: [trace], parts: [] };
}

/** A condition that holds when every check does; the trace stops at the first that fails. */
export function allChecks(name: string, checks: readonly Check[]): CompiledCondition {
  return {
    path: name,
    needs: checks.flatMap((c) => c.needs ?? []),
    test(ctx) {
      const trace: ConditionTrace[] = [];
      for (const check of checks) {
        const value = check.read(ctx);
        const result = check.test(value, ctx);
        trace.push({ condition: check.condition, value, pattern: check.pattern, result });
        if (!result) return { result: false, trace, parts: [] };
      }
      return { result: true, trace, parts: [] };
    },
  };
}

/** True for a plain object (a map of sub-keys) rather than a pattern or `{ not: ... }`. */
export function isSubKeyMap(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).some((k) => keys.includes(k));
}
