import type { Effect } from './effect';
import type { Reply, Stage, Verdict } from './stage';

/** How one condition of a rule came out: which value was tested against which pattern. */
export interface ConditionTrace {
  /** Condition path as written in the policy: "part.filename", "sender", "any[1].client". */
  condition: string;
  /** The value tested (a string, number, list of part names...), or the fact used. */
  value: unknown;
  /** The pattern or bound it was tested against, as written. */
  pattern?: string;
  result: boolean;
}

/** One rule of the stage in the trace. */
export interface RuleTrace {
  rule: string;
  /** False when an earlier terminal action ended the stage before this rule. */
  reached: boolean;
  matched: boolean;
  /** The conditions that decided `matched` (the failing one when it did not match). */
  conditions: ConditionTrace[];
  /** Why it was decided that way when the conditions do not say it (a fact error, not reached). */
  note?: string;
}

export interface Decision {
  stage: Stage;
  verdict: Verdict;
  reply: Reply;
  /** Id of the rule whose terminal action decided; absent when the stage default did. */
  rule?: string;
  /** Ids of the rules whose `when` held, in order. */
  fired: string[];
  effects: Effect[];
  trace: RuleTrace[];
  /** `forward`: deliver to this quarantine mailbox instead of holding it in the gateway (Endian). */
  quarantine?: { reason: string; notify: string[]; forward?: string };
}
