import type { FactNeed, FactProviders, FactResult, Facts, MessageSource } from '../facts/facts';
import type { MessageModel } from '../message/model';
import type { CompiledPolicy, CompiledRule } from '../policy/compiled-policy';
import type { RuleTrace } from './decision';
import { evaluate } from './evaluate';
import type { StageInput } from './input';
import { lookUp, providerOf } from './look-up';
import type { Stage } from './stage';

export interface GatherOptions {
  /** Budget of each lookup; a lookup that takes longer is aborted and becomes a FactError. */
  timeoutMs: number;
  /** The raw message, for spamd and clamd (data stage). */
  message?: MessageSource;
  model?: MessageModel;
  /**
   * Answers already had in this session (or connection), by lookup; pass the same map to every
   * stage so a DNSBL zone or a domain is asked once, however many stages or recipients need it.
   * Failed lookups are kept too: retrying within one session would only double the wait. Message
   * facts (spam, virus) are never taken from it.
   */
  memo?: Map<string, Promise<FactResult<unknown>>>;
}

/**
 * Asks the providers for the facts the rules that get to need them need, in rule order: the
 * stage is evaluated on what has been gathered so far, and the first rule it reaches that could
 * match or that lacked a fact gets its lookups (with those of later rules asking the same
 * provider, at once); then again, until no reached rule lacks one. So a rule after the one that
 * decides, or whose other conditions already fail (a recipient pattern that does not match), asks
 * nothing: no greylist entry written, no RCPT probe sent, no wait for a store that is down.
 * Failures, timeouts and missing providers become FactError values, which the rules' onError then
 * handles; this never throws.
 */
export async function gatherFacts(
  policy: CompiledPolicy,
  stage: Stage,
  input: StageInput,
  providers: FactProviders,
  options: GatherOptions,
): Promise<Facts> {
  const compiled = policy.stages[stage];
  const facts: Facts = {};
  const asked = new Set<string>();
  const reachable = new Set(compiled.needs.map(keyOf));
  const perPart = compiled.needs.some((n) => n.kind === 'virus' && n.perPart);
  for (;;) {
    const { trace } = evaluate(policy, stage, input, facts);
    let at = -1;
    let mine: FactNeed[] = [];
    for (const [i, rule] of compiled.rules.entries()) {
      mine = wanted(rule, trace[i]!).filter((n) => !asked.has(keyOf(n)));
      if (mine.length > 0) {
        at = i;
        break;
      }
    }
    if (at < 0) return facts;
    const kinds = new Set(mine.map(providerOf));
    // Later rules' lookups from the same provider go with these (DNS zones asked in parallel, not
    // one round trip per rule); a stage needs at most one greylist or verification need anyway.
    const later = compiled.rules.slice(at + 1).flatMap((r) => r.needs).filter((n) => kinds.has(providerOf(n)) && reachable.has(keyOf(n)));
    const batch = [...mine, ...later].filter((n, i, all) => !asked.has(keyOf(n)) && all.findIndex((m) => keyOf(m) === keyOf(n)) === i);
    for (const n of batch) asked.add(keyOf(n));
    await lookUp(batch, facts, stage, input, providers, options, perPart);
  }
}

/**
 * What a reached rule needs looked up: nothing when it came out false without its facts (it is
 * false whatever they answer). One that matched is looked up too, so the branch of an `any` that
 * decides (and the parts a strip removes) is the one it would be with every fact at hand, and the
 * scans its texts quote (`{spam.score}`, `{virus}`: among its needs) are there to fill them.
 */
function wanted(rule: CompiledRule, trace: RuleTrace): readonly FactNeed[] {
  if (!trace.reached) return [];
  // A reached rule carries a note only when a fact it needed was missing or failed.
  if (trace.note !== undefined || trace.matched) return rule.needs;
  return [];
}

function keyOf(need: FactNeed): string {
  return JSON.stringify(need);
}
