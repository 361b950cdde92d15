import { evaluate, gatherFacts } from '@mailward/core';
import type { Decision, MessageModel, MessageSource, Stage, StageInput } from '@mailward/core';
import { withHarakaResults } from './haraka-results-facts';
import type { HarakaConnection, HarakaResults } from './haraka-types';
import type { MailwardPlugin, MailwardState } from './plugin-state';

/** Gathers the facts a stage needs (Haraka's results first, then ours) and evaluates it. */
export async function decide(
  state: MailwardState,
  connection: HarakaConnection,
  stage: Stage,
  input: StageInput,
  content?: { message: MessageSource; model: MessageModel },
): Promise<Decision> {
  const providers = state.settings.useHarakaResults
    ? withHarakaResults(connection, state.providers)
    : state.providers;
  const options: Parameters<typeof gatherFacts>[4] = { timeoutMs: state.settings.factTimeoutMs };
  if (content) {
    options.message = content.message;
    options.model = content.model;
  }
  const facts = await gatherFacts(state.policy, stage, input, providers, options);
  return evaluate(state.policy, stage, input, facts);
}

/**
 * Leaves the decision where other plugins look (karma, logging): `pass`/`fail` lists like other
 * plugins' results, and the stage's verdict, rule and fired rules under the stage's name.
 */
export function recordDecision(plugin: MailwardPlugin, results: HarakaResults, decision: Decision): void {
  const by = decision.rule ?? 'default';
  const entry: Record<string, unknown> = {
    [decision.stage]: { verdict: decision.verdict, rule: by, fired: decision.fired, reply: decision.reply },
  };
  if (decision.verdict === 'reject' || decision.verdict === 'tempfail') entry.fail = `${decision.stage}:${by}`;
  else entry.pass = `${decision.stage}:${by}`;
  results.add(plugin, entry);
}
