import type { Decision } from '../engine/decision';
import type { Effect } from '../engine/effect';
import type { Reply, Stage, Verdict } from '../engine/stage';

/** What a whole session came to, as a case checks it (a view of the engine's SessionResult). */
export interface SessionOutcome {
  verdict: Verdict;
  stage: Stage;
  reply: Reply;
  /** The rule whose terminal action decided, if a rule did. */
  rule?: string;
  recipients: { address: string; verdict: Verdict; reply: Reply }[];
  fired: string[];
  effects: Effect[];
  quarantine?: { reason: string; notify: string[]; forward?: string };
}

/** The engine's session result, as far as the tester reads it. */
export interface SessionResultLike {
  verdict: Verdict;
  stage: Stage;
  reply: Reply;
  recipients: { address: string; verdict: Verdict; reply: Reply }[];
  fired: string[];
  effects: Effect[];
  decisions: Decision[];
}

/** Reads a session result into the shape cases are compared with. */
export function outcomeOf(result: SessionResultLike): SessionOutcome {
  // The deciding decision is the last one taken at the deciding stage.
  const deciding = [...result.decisions].reverse().find((d) => d.stage === result.stage);
  const outcome: SessionOutcome = {
    verdict: result.verdict,
    stage: result.stage,
    reply: result.reply,
    recipients: result.recipients,
    fired: result.fired,
    effects: result.effects,
  };
  if (deciding?.rule !== undefined) outcome.rule = deciding.rule;
  const quarantine = result.decisions.find((d) => d.quarantine)?.quarantine;
  if (quarantine) outcome.quarantine = quarantine;
  return outcome;
}
