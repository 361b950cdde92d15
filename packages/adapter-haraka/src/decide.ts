import { evaluate, factErrors, gatherFacts } from '@mailward/core';
import type { Decision, MessageModel, MessageSource, Stage, StageInput } from '@mailward/core';
import { defaultZoneType, withHarakaResults, type DnsListType } from './haraka-results-facts';
import type { HarakaConnection, HarakaResults } from './haraka-types';
import type { MailwardPlugin, MailwardState } from './plugin-state';

/**
 * Gathers the facts a stage needs (Haraka's results first, then ours) and evaluates it. A fact
 * that could not be had is logged when it decided (the rule's onError answered); the caller
 * logs the decision with logDecision once it knows the reply it sends.
 */
export async function decide(
  plugin: MailwardPlugin,
  state: MailwardState,
  connection: HarakaConnection,
  stage: Stage,
  input: StageInput,
  content?: { message: MessageSource; model: MessageModel },
): Promise<Decision> {
  const providers = state.settings.useHarakaResults
    ? withHarakaResults(connection, state.providers, dnsListZoneType(plugin))
    : state.providers;
  const options: Parameters<typeof gatherFacts>[4] = { timeoutMs: state.settings.factTimeoutMs };
  if (content) {
    options.message = content.message;
    options.model = content.model;
  }
  const facts = await gatherFacts(state.policy, stage, input, providers, options);
  const decision = evaluate(state.policy, stage, input, facts);
  if (decidedByOnError(decision)) {
    // Why a rule's onError answered: "virus fact failed: ...", "dnsbl zen.example fact failed: ...".
    // Not when the message was decided otherwise (no clamd and an accept would warn on every message).
    for (const [what, why] of Object.entries(factErrors(facts))) connection.logwarn(plugin, `${stage}: ${what} fact failed: ${why}`);
  }
  return decision;
}

/** True when a rule's onError ended the stage: its rule did not match, so its actions did not. */
function decidedByOnError(decision: Decision): boolean {
  return decision.rule !== undefined && decision.trace.some((t) => t.rule === decision.rule && t.reached && !t.matched);
}

/**
 * The zone types dns-list works with: the operator's config/dns-list.ini (`[zone] type=allow`),
 * else dns-list's own defaults for the zones it ships.
 */
function dnsListZoneType(plugin: MailwardPlugin): (zone: string) => DnsListType {
  return (zone) => {
    const ini = plugin.config.get('dns-list.ini', 'ini') as unknown as Record<string, { type?: unknown } | undefined> | null;
    const section = ini?.[zone] ?? ini?.[zone.toLowerCase()];
    const type = typeof section?.type === 'string' ? section.type.toLowerCase() : undefined;
    return type === 'allow' || type === 'karma' || type === 'block' ? type : defaultZoneType(zone);
  };
}

/**
 * One line per decision: stage, the address it was about, verdict, the rule that decided
 * (`default` for the stage default), the rules that fired, the reply of a refusal, and at data the effects;
 * then the policy's `log` actions. Refusals, drops and quarantines are notices; accepts are info.
 * `sent` is the reply when the plugin answers other than the policy (a quarantine nothing can keep).
 */
export function logDecision(
  plugin: MailwardPlugin,
  connection: HarakaConnection,
  decision: Decision,
  input: StageInput,
  bytes?: number,
  sent?: string,
): void {
  const parts = [`decision stage=${decision.stage}`];
  if (decision.stage === 'helo' && input.helo !== undefined) parts.push(`helo=${input.helo}`);
  if (decision.stage === 'mail') parts.push(`sender=<${input.sender ?? ''}>`);
  if (decision.stage === 'rcpt' && input.recipient !== undefined) parts.push(`recipient=<${input.recipient}>`);
  if (decision.stage === 'data' && bytes !== undefined) parts.push(`bytes=${bytes}`);
  // What analysis found ambiguous, so the line says why a `malformed` rule fired.
  if (decision.stage === 'data' && input.message?.malformed.length) parts.push(`malformed=${[...new Set(input.message.malformed.map((m) => m.kind))].join(',')}`);
  parts.push(`verdict=${decision.verdict}`, `rule=${decision.rule ?? 'default'}`);
  if (decision.fired.length > 0) parts.push(`fired=${decision.fired.join(',')}`);
  // Only a refusal is answered in the policy's words; what else goes on is answered by Haraka
  // in its own (`250 stored (<uuid>)` at data, its banner at connect), so no reply is claimed.
  const { reply } = decision;
  const refused = decision.verdict === 'reject' || decision.verdict === 'tempfail';
  if (sent !== undefined || refused) parts.push(`reply="${sent ?? `${reply.code}${reply.status ? ` ${reply.status}` : ''} ${reply.text}`}"`);
  if (decision.quarantine) parts.push(`reason="${decision.quarantine.reason}"`);
  const effects = decision.effects.filter((e) => e.type !== 'log').map((e) => e.type);
  if (effects.length > 0) parts.push(`effects=${effects.join(',')}`);
  const line = parts.join(' ');
  if (decision.verdict === 'accept' && sent === undefined) connection.loginfo(plugin, line);
  else connection.lognotice(plugin, line);
  // The policy's own `log` actions, one line each, when their rule fired (as the gateway's
  // policy-log lines): a rule that logs and then rejects is logged too.
  for (const effect of decision.effects) {
    if (effect.type === 'log') connection.loginfo(plugin, `[${effect.rule}] ${effect.text}`);
  }
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
