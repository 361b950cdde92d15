import { STAGES } from '@mailward/core';
import type { Decision, Effect, Stage } from '@mailward/core';
import type { HarakaNotes } from './haraka-types';

/**
 * What earlier stages decided that acts later: effects to apply at end of DATA (envelope
 * rewrites from mail/rcpt, headers from any stage) and a drop or quarantine verdict to carry
 * out at queue time. Kept in notes: connection.notes for connect/helo (they outlive a
 * transaction), transaction.notes for mail, rcpt and data.
 */
export interface SessionNotes {
  /** Per stage; a repeated stage (a second EHLO) replaces its effects, rcpt adds per recipient. */
  effects: Partial<Record<Stage, Effect[]>>;
  verdict?: 'drop' | 'quarantine';
  /** `forward`: delivered to that mailbox (marked X-Mailward-Quarantine) instead of held. */
  quarantine?: { reason: string; notify: string[]; forward?: string };
  /** Rule that asked for the drop or quarantine, for the log and the reply. */
  rule?: string;
  /** For the quarantine notice, noted at end of DATA: Subject as received, recipients before a `forward`. */
  held?: { subject: string; recipients: string[]; findings?: string[] };
  /**
   * The route host ('' for none) every recipient of this transaction shares (recipient-route.ts).
   * Not `route`: haraka-notes reads the 'mailward.route' note (envelope-effects.ts) from here.
   */
  recipientRoute?: string;
}

const KEY = 'mailward';

/** Our notes in a notes object, created on first use. */
export function sessionNotes(notes: HarakaNotes): SessionNotes {
  let mine = notes[KEY] as SessionNotes | undefined;
  if (!mine) {
    mine = { effects: {} };
    notes[KEY] = mine;
  }
  return mine;
}

/** Keeps a decision's effects and any drop/quarantine verdict for later. */
export function remember(notes: HarakaNotes, decision: Decision): void {
  const mine = sessionNotes(notes);
  mine.effects[decision.stage] =
    decision.stage === 'rcpt' ? [...(mine.effects.rcpt ?? []), ...decision.effects] : [...decision.effects];
  if (decision.verdict === 'drop' || decision.verdict === 'quarantine') {
    // Quarantine outranks drop: a message someone asked to keep is never silently discarded.
    if (mine.verdict !== 'quarantine') mine.verdict = decision.verdict;
    if (decision.quarantine) mine.quarantine = decision.quarantine;
    if (decision.rule !== undefined) mine.rule = decision.rule;
  }
}

/** What a session combined: effects in stage order, connection first. */
export interface CombinedNotes extends Omit<SessionNotes, 'effects'> {
  effects: Effect[];
}

/** Everything the connection and the transaction kept, in session order. */
export function combined(connectionNotes: HarakaNotes, txnNotes: HarakaNotes): CombinedNotes {
  const a = sessionNotes(connectionNotes);
  const b = sessionNotes(txnNotes);
  const effects = STAGES.flatMap((stage) => [...(a.effects[stage] ?? []), ...(b.effects[stage] ?? [])]);
  const out: CombinedNotes = { effects };
  const verdict = a.verdict === 'quarantine' || b.verdict === 'quarantine' ? 'quarantine' : (b.verdict ?? a.verdict);
  if (verdict) out.verdict = verdict;
  const q = b.quarantine ?? a.quarantine;
  if (q) out.quarantine = q;
  const rule = b.rule ?? a.rule;
  if (rule !== undefined) out.rule = rule;
  return out;
}
