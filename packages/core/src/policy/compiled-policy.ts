/**
 * The compiled, validated, frozen policy `evaluate` runs: lists expanded, patterns compiled once,
 * stage checks done, fact needs computed. A different type from `RawPolicy` on purpose: nothing
 * can evaluate a policy that has not been through `compilePolicy`.
 */
import type { ConditionTrace } from '../engine/decision';
import type { Effect } from '../engine/effect';
import type { StageInput } from '../engine/input';
import type { Reply, Stage, Verdict } from '../engine/stage';
import type { FactNeed, Facts } from '../facts/facts';
import type { MimePart } from '../message/model';
import type { Matcher } from '../match/matcher';
import type { PolicyProblem } from './policy-error';
import type { RawOnError, RawPolicy } from './raw-policy';

/** What a condition sees while a stage is evaluated. */
export interface EvalContext {
  readonly stage: Stage;
  readonly input: StageInput;
  readonly facts: Facts;
  /** The direction, decided once per evaluation (input.direction, authentication, outbound.clients). */
  readonly outbound: boolean;
}

export interface ConditionOutcome {
  result: boolean;
  /** The conditions that decided, innermost first. */
  trace: ConditionTrace[];
  /** Parts matched by `part` conditions that held (not under `not`); `strip` applies to these. */
  parts: MimePart[];
}

export interface CompiledCondition {
  /** Condition path as written: "part", "any[1].client". */
  readonly path: string;
  readonly needs: readonly FactNeed[];
  /** Throws FactUnavailable when a fact it needs is missing or an error. */
  test(ctx: EvalContext): ConditionOutcome;
}

export interface TerminalAction {
  readonly kind: 'terminal';
  readonly verdict: Verdict;
  readonly reply: Reply;
  readonly quarantine?: { readonly reason: string; readonly notify: readonly string[]; readonly forward?: string };
}

/** What a non-terminal action needs to build its effects. */
export interface ActionScope {
  readonly ctx: EvalContext;
  readonly rule: string;
  readonly parts: readonly MimePart[];
}

export interface EffectAction {
  readonly kind: 'effect';
  readonly name: string;
  build(scope: ActionScope): Effect[];
}

export type CompiledAction = TerminalAction | EffectAction;

export interface CompiledRule {
  readonly id: string;
  readonly description?: string;
  /** Undefined when the rule has no `when` (always holds). */
  readonly when?: CompiledCondition;
  readonly actions: readonly CompiledAction[];
  readonly onError: RawOnError;
  readonly needs: readonly FactNeed[];
}

export interface CompiledStage {
  readonly stage: Stage;
  readonly default: { readonly verdict: Verdict; readonly reply: Reply };
  readonly rules: readonly CompiledRule[];
  /** Facts the reachable rules of this stage need; `gatherFacts` asks for no others, and only as the rules get to need them. */
  readonly needs: readonly FactNeed[];
}

/** SMTP protocol controls, with sizes in bytes and durations in milliseconds. */
export interface CompiledSmtp {
  readonly hideKeywords: readonly string[];
  readonly maxRecipients?: number;
  readonly maxSize?: number;
  readonly idleTimeout?: number;
  readonly hardErrorLimit?: number;
  readonly requireHelo?: boolean;
  readonly greetPause?: number;
}

export interface CompiledPolicy {
  readonly version: 1;
  readonly name?: string;
  readonly notice: string;
  readonly smtp: CompiledSmtp;
  readonly outbound: { readonly clients: readonly Matcher[] };
  readonly stages: Readonly<Record<Stage, CompiledStage>>;
  readonly warnings: readonly PolicyProblem[];
  /** The policy as validated, for tools that show or re-serialise it. */
  readonly raw: RawPolicy;
  readonly file?: string;
}
