import { HEADER_EFFECTS, STAGES, partReplacements, type CompiledPolicy, type Decision, type EffectType, type PartEffect, type SessionResult, type Stage, type Verdict } from '@mailward/core';
import type { GuessedEnvelope, RecipientOrigin, SenderOrigin } from './envelope-guess';

/** A message as the report names it. */
export interface MessageRef {
  source: string;
  subject: string;
}

/** What one rule (or a stage default) did over the replayed mail. */
export interface RuleImpact {
  /** The rule id, or "(rcpt default)" for a stage's default, "(smtp.maxRecipients)" for the limit. */
  rule: string;
  stage: Stage;
  /** Messages it fired on (for a default: messages where it refused or held something). */
  messages: number;
  rejected: number;
  tempfailed: number;
  quarantined: number;
  dropped: number;
  /** Messages one of whose stages it ended with accept. */
  accepted: number;
  refusedRecipients: number;
  /** Parts its strips and drops replace: a carrier an earlier rule already replaced is not counted. */
  strippedParts: number;
  /** Parts it would strip or drop that an earlier rule's strip or drop had already replaced (so it changed nothing). */
  strippedBefore: number;
  /** Messages whose headers it edited (removed, kept, added, rewrote, masqueraded, tagged). */
  editedHeaders: number;
  /** Every effect it had, by type. */
  effects: Partial<Record<EffectType, number>>;
  /** The first --show messages it fired on. */
  examples: MessageRef[];
}

/** Verdict totals over the replayed messages. */
export interface VerdictTotals {
  accepted: number;
  rejected: number;
  tempfailed: number;
  quarantined: number;
  dropped: number;
}

/** The whole replay: what `--json` prints and the table is drawn from. */
export interface ImpactReport {
  messages: { read: number; replayed: number; unreadable: number };
  verdicts: VerdictTotals;
  envelope: { sender: Partial<Record<SenderOrigin, number>>; recipients: Partial<Record<RecipientOrigin, number>> };
  rules: RuleImpact[];
  unreadable: { source: string; reason: string }[];
  ignored: { count: number; first: string[] };
}

const TOTAL: Record<Verdict, keyof VerdictTotals | undefined> = {
  accept: 'accepted', reject: 'rejected', tempfail: 'tempfailed', quarantine: 'quarantined', drop: 'dropped',
};
/** The effects counted as stripped parts (header edits: core's HEADER_EFFECTS); the table names the others by type. */
export const STRIPS: ReadonlySet<EffectType> = new Set(['stripPart', 'dropPart']);
const REFUSED: ReadonlySet<Verdict> = new Set(['reject', 'tempfail']);
const REWRITTEN: ReadonlySet<Verdict> = new Set(['accept', 'quarantine']);
const IGNORED_NAMED = 5;

/**
 * Adds up session results message by message, keeping counts and at most `show` examples per
 * rule, so its size does not grow with the number of messages (only with unreadable ones).
 */
export class ImpactTally {
  private readonly rows = new Map<string, RuleImpact>();
  private readonly report: ImpactReport = {
    messages: { read: 0, replayed: 0, unreadable: 0 },
    verdicts: { accepted: 0, rejected: 0, tempfailed: 0, quarantined: 0, dropped: 0 },
    envelope: { sender: {}, recipients: {} },
    rules: [],
    unreadable: [],
    ignored: { count: 0, first: [] },
  };

  constructor(
    policy: CompiledPolicy,
    private readonly show: number,
  ) {
    for (const stage of STAGES) for (const r of policy.stages[stage].rules) this.row(r.id, stage);
  }

  /** Counts one replayed message; `edited`: the rules whose header edits change it (an edit of a field it lacks changes nothing). */
  add(message: MessageRef, envelope: GuessedEnvelope, result: SessionResult, edited: ReadonlySet<string> = new Set()): void {
    const { report } = this;
    report.messages.read += 1;
    report.messages.replayed += 1;
    const total = TOTAL[result.verdict];
    if (total) report.verdicts[total] += 1;
    bump(report.envelope.sender, envelope.senderFrom);
    bump(report.envelope.recipients, envelope.recipientsFrom);

    const touched = new Set<RuleImpact>();
    const once = new Map<RuleImpact, Set<string>>();
    const firstTime = (row: RuleImpact, what: string): boolean => {
      const done = once.get(row) ?? new Set<string>();
      once.set(row, done);
      if (done.has(what)) return false;
      done.add(what);
      return true;
    };
    const stageOf = new Map(result.decisions.flatMap((d) => d.fired.map((id) => [id, d.stage] as const)));
    for (const id of result.fired) touched.add(this.row(id, stageOf.get(id) ?? 'data'));

    const deciding = decidingDecision(result);
    if (deciding && result.verdict !== 'accept') {
      const row = this.rowFor(deciding);
      const key = TOTAL[result.verdict];
      if (key && key !== 'accepted') row[key] += 1;
      touched.add(row);
    }
    for (const d of result.decisions) {
      if (d.verdict === 'accept' && d.rule !== undefined) {
        const row = this.row(d.rule, d.stage);
        if (firstTime(row, 'accepted')) row.accepted += 1;
      }
      if (d.stage === 'rcpt' && REFUSED.has(d.verdict)) {
        const row = this.rowFor(d);
        row.refusedRecipients += 1;
        touched.add(row);
      }
    }
    // The strip or drop the rewrite applies to each carrier: the first in rule order (a second
    // member of an attachment the same rule replaces adds nothing either). Only a message that
    // is delivered is rewritten: accepted, or quarantined (a release delivers it rewritten).
    const replacing = REWRITTEN.has(result.verdict) ? partReplacements(result.effects) : new Map<string, PartEffect>();
    for (const e of result.effects) {
      const row = this.row(e.rule, stageOf.get(e.rule) ?? 'data');
      row.effects[e.type] = (row.effects[e.type] ?? 0) + 1;
      if (e.type === 'stripPart' || e.type === 'dropPart') {
        const first = replacing.get(e.part.carrier);
        if (first === e) row.strippedParts += 1;
        else if (first && first.rule !== e.rule && firstTime(row, `before ${e.part.carrier}`)) row.strippedBefore += 1;
      }
      if (HEADER_EFFECTS.has(e.type) && REWRITTEN.has(result.verdict) && edited.has(e.rule) && firstTime(row, 'headers')) row.editedHeaders += 1;
    }
    for (const row of touched) {
      row.messages += 1;
      if (row.examples.length < this.show) row.examples.push(message);
    }
  }

  /** Counts a message or source that could not be read or parsed, and why. */
  unreadable(source: string, reason: string): void {
    this.report.messages.read += 1;
    this.report.messages.unreadable += 1;
    this.report.unreadable.push({ source, reason });
  }

  /** Counts a folder entry that was not taken for mail. */
  ignored(source: string): void {
    this.report.ignored.count += 1;
    if (this.report.ignored.first.length < IGNORED_NAMED) this.report.ignored.first.push(source);
  }

  /** The report so far (rules in policy order, then the defaults in the order they acted). */
  result(): ImpactReport {
    return { ...this.report, rules: [...this.rows.values()] };
  }

  private rowFor(d: Decision): RuleImpact {
    if (d.rule !== undefined) return this.row(d.rule, d.stage);
    // runSession records the maxRecipients refusal as a rcpt decision with no rule and no trace.
    if (d.stage === 'rcpt' && d.reply.code === 452 && d.reply.status === '4.5.3' && d.trace.length === 0) return this.row('(smtp.maxRecipients)', 'rcpt');
    // ... and the maxSize refusal as a data decision with none.
    if (d.stage === 'data' && d.reply.code === 552 && d.reply.status === '5.3.4' && d.trace.length === 0) return this.row('(smtp.maxSize)', 'data');
    return this.row(`(${d.stage} default)`, d.stage);
  }

  private row(rule: string, stage: Stage): RuleImpact {
    let row = this.rows.get(rule);
    if (!row) {
      row = { rule, stage, messages: 0, rejected: 0, tempfailed: 0, quarantined: 0, dropped: 0, accepted: 0, refusedRecipients: 0, strippedParts: 0, strippedBefore: 0, editedHeaders: 0, effects: {}, examples: [] };
      this.rows.set(rule, row);
    }
    return row;
  }
}

// The decision whose verdict became the session's (runSession: the last stage run, or at rcpt
// the first recipient refused that way).
function decidingDecision(result: SessionResult): Decision | undefined {
  if (result.stage === 'rcpt') return result.decisions.find((d) => d.stage === 'rcpt' && d.verdict === result.verdict);
  return result.decisions[result.decisions.length - 1];
}

function bump<K extends string>(counts: Partial<Record<K, number>>, key: K): void {
  counts[key] = (counts[key] ?? 0) + 1;
}
