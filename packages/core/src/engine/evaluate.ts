import type { Facts } from '../facts/facts';
import type { CompiledPolicy, CompiledRule, ConditionOutcome, EvalContext } from '../policy/compiled-policy';
import type { Decision, RuleTrace } from './decision';
import { isOutbound } from './direction';
import type { Effect } from './effect';
import { FactUnavailable } from './fact-unavailable';
import type { StageInput } from './input';
import type { Reply, Stage, Verdict } from './stage';

interface Ending {
  verdict: Verdict;
  reply: Reply;
  rule: string;
  quarantine?: { reason: string; notify: string[]; forward?: string };
}

/**
 * Decides one stage: rules in order, every rule whose `when` holds applies its actions,
 * non-terminal effects accumulate, the first terminal action ends the stage (after the rest of
 * its own rule's actions). Synchronous and pure: the same arguments give the same Decision.
 */
export function evaluate(policy: CompiledPolicy, stage: Stage, input: StageInput, facts: Facts): Decision {
  const compiled = policy.stages[stage];
  const ctx: EvalContext = { stage, input, facts, outbound: isOutbound(policy, input) };
  const trace: RuleTrace[] = [];
  const fired: string[] = [];
  const effects: Effect[] = [];
  let ending: Ending | undefined;

  for (const rule of compiled.rules) {
    if (ending) {
      trace.push({ rule: rule.id, reached: false, matched: false, conditions: [], note: `not reached: rule \`${ending.rule}\` ended the stage` });
      continue;
    }
    let outcome: ConditionOutcome;
    try {
      outcome = rule.when ? rule.when.test(ctx) : { result: true, trace: [], parts: [] };
    } catch (err) {
      if (!(err instanceof FactUnavailable)) throw err;
      const handled = onFactError(rule, err, stage);
      trace.push({ rule: rule.id, reached: true, matched: false, conditions: [], note: handled.note });
      if (handled.ending) ending = handled.ending;
      continue;
    }
    trace.push({ rule: rule.id, reached: true, matched: outcome.result, conditions: outcome.trace });
    if (!outcome.result) continue;
    fired.push(rule.id);
    for (const action of rule.actions) {
      if (action.kind === 'effect') {
        effects.push(...action.build({ ctx, rule: rule.id, parts: outcome.parts }));
      } else if (!ending) {
        ending = { verdict: action.verdict, reply: { ...action.reply }, rule: rule.id };
        if (action.quarantine) ending.quarantine = { reason: action.quarantine.reason, notify: [...action.quarantine.notify], ...(action.quarantine.forward ? { forward: action.quarantine.forward } : {}) };
      }
    }
  }

  const decision: Decision = ending
    ? { stage, verdict: ending.verdict, reply: ending.reply, rule: ending.rule, fired, effects, trace }
    : { stage, verdict: compiled.default.verdict, reply: { ...compiled.default.reply }, fired, effects, trace };
  if (ending?.quarantine) decision.quarantine = ending.quarantine;
  return decision;
}

/** A fact a rule needed was missing or failed: the rule's onError decides; it is never "clean". */
function onFactError(rule: CompiledRule, err: FactUnavailable, stage: Stage): { note: string; ending?: Ending } {
  const what = `${err.fact} unavailable (${err.detail})`;
  switch (rule.onError) {
    case 'skip':
      return { note: `${what}; onError: skip, so the rule was skipped` };
    case 'reject':
      return {
        note: `${what}; onError: reject`,
        ending: { verdict: 'reject', reply: { code: stage === 'data' ? 554 : 550, status: '5.7.1', text: `Refused: ${err.fact} could not be checked` }, rule: rule.id },
      };
    case 'tempfail':
      return {
        note: `${what}; onError: tempfail`,
        ending: { verdict: 'tempfail', reply: { code: 451, status: '4.7.1', text: `Temporary failure: ${err.fact} could not be checked, try again later` }, rule: rule.id },
      };
  }
}
