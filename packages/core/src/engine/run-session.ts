import type { Facts } from '../facts/facts';
import type { MessageModel } from '../message/model';
import type { CompiledPolicy } from '../policy/compiled-policy';
import type { Decision, RuleTrace } from './decision';
import type { Effect } from './effect';
import { evaluate } from './evaluate';
import type { Client, StageInput } from './input';
import type { Direction, Reply, Stage, Verdict } from './stage';

/** One SMTP session to run through every stage: what a client would send. */
export interface SessionSpec {
  client: Client;
  helo?: string;
  /** Envelope sender; '' is the null sender. */
  sender?: string;
  recipients: string[];
  message?: MessageModel;
  direction?: Direction;
}

export interface RecipientResult {
  address: string;
  verdict: Verdict;
  reply: Reply;
}

/** What a whole session came to; plain JSON (`mailward eval --json` prints exactly this). */
export interface SessionResult {
  verdict: Verdict;
  /** The stage where the session was decided. */
  stage: Stage;
  reply: Reply;
  recipients: RecipientResult[];
  /** Ids of the rules that fired, in order, each once. */
  fired: string[];
  /** Effects of the stages that passed (logs from every stage), in order. */
  effects: Effect[];
  trace: { stage: Stage; recipient?: string; rules: RuleTrace[] }[];
  decisions: Decision[];
}

const REFUSED: readonly Verdict[] = ['reject', 'tempfail'];

/**
 * Runs connect, helo, mail, rcpt (once per recipient; a refused recipient is not passed on) and
 * data (when some recipient was accepted and there is a message), as a server would. The
 * policy's `smtp.maxRecipients` refuses recipients beyond it (verdict reject, reply 452 4.5.3,
 * which tells the client to send those later), and `smtp.maxSize` a message over it (552 5.3.4,
 * the data stage not run), as the adapters do.
 */
export function runSession(policy: CompiledPolicy, session: SessionSpec, facts: Facts): SessionResult {
  const decisions: Decision[] = [];
  const trace: SessionResult['trace'] = [];
  const input: StageInput = { client: session.client, recipients: [] };
  if (session.direction !== undefined) input.direction = session.direction;
  const take = (stage: Stage, stageInput: StageInput, recipient?: string): Decision => {
    const d = evaluate(policy, stage, stageInput, facts);
    decisions.push(d);
    trace.push(recipient !== undefined ? { stage, recipient, rules: d.trace } : { stage, rules: d.trace });
    return d;
  };
  const everyone = (d: { verdict: Verdict; reply: Reply }): RecipientResult[] =>
    session.recipients.map((address) => ({ address, verdict: d.verdict, reply: d.reply }));

  for (const stage of ['connect', 'helo', 'mail'] as const) {
    if (stage === 'helo' && session.helo !== undefined) input.helo = session.helo;
    if (stage === 'mail') input.sender = session.sender ?? '';
    const d = take(stage, { ...input });
    if (REFUSED.includes(d.verdict)) return finish(d.verdict, stage, d.reply, everyone(d), decisions, trace);
  }

  /**
   * A refusal by an `smtp:` limit, the stage's rules not run: recorded as a decision too, so
   * decisions and trace keep one entry per stage run (and per recipient at rcpt).
   */
  const refuseByLimit = (stage: Stage, reply: Reply, recipient?: string): Decision => {
    const d: Decision = { stage, verdict: 'reject', reply, fired: [], effects: [], trace: [] };
    decisions.push(d);
    trace.push(recipient !== undefined ? { stage, recipient, rules: [] } : { stage, rules: [] });
    return d;
  };

  const accepted: string[] = [];
  const recipients: RecipientResult[] = [];
  for (const address of session.recipients) {
    const max = policy.smtp.maxRecipients;
    if (max !== undefined && max > 0 && accepted.length >= max) {
      const d = refuseByLimit('rcpt', { code: 452, status: '4.5.3', text: 'Too many recipients' }, address);
      recipients.push({ address, verdict: d.verdict, reply: d.reply });
      continue;
    }
    const d = take('rcpt', { ...input, recipient: address, recipients: [...accepted] }, address);
    recipients.push({ address, verdict: d.verdict, reply: d.reply });
    if (!REFUSED.includes(d.verdict)) accepted.push(address);
  }
  if (accepted.length === 0) {
    // Nothing to deliver: a tempfail anywhere means the client should come back, else it is refused.
    const first = recipients.find((r) => r.verdict === 'tempfail') ?? recipients[0];
    const reply = first?.reply ?? { code: 554, status: '5.5.1', text: 'No valid recipients' };
    return finish(first?.verdict ?? 'reject', 'rcpt', reply, recipients, decisions, trace);
  }
  if (!session.message) {
    const last = recipients.filter((r) => accepted.includes(r.address)).pop()!;
    return finish('accept', 'rcpt', last.reply, recipients, decisions, trace);
  }
  // Over maxSize the adapters answer at the end of DATA, before the data stage runs.
  const maxSize = policy.smtp.maxSize;
  const d = maxSize !== undefined && maxSize > 0 && session.message.size > maxSize
    ? refuseByLimit('data', { code: 552, status: '5.3.4', text: `Message exceeds the maximum size of ${maxSize} bytes` })
    : take('data', { ...input, recipients: [...accepted], message: session.message });
  const final = recipients.map((r) => (accepted.includes(r.address) ? { address: r.address, verdict: d.verdict, reply: d.reply } : r));
  return finish(d.verdict, 'data', d.reply, final, decisions, trace);
}

function finish(
  verdict: Verdict,
  stage: Stage,
  reply: Reply,
  recipients: RecipientResult[],
  decisions: Decision[],
  trace: SessionResult['trace'],
): SessionResult {
  const fired = [...new Set(decisions.flatMap((d) => d.fired))];
  const effects = decisions.flatMap((d) => (REFUSED.includes(d.verdict) ? d.effects.filter((e) => e.type === 'log') : d.effects));
  return { verdict, stage, reply, recipients, fired, effects, trace, decisions };
}
