import type { Stage } from '../engine/stage';
import type { PolicyPath, Reporter } from './compile-scope';
import { formatPath, type PolicySource } from './problem-at';

/** Where a rule id is written: the rule's stage and the path of its `id`. */
export interface RuleIdPlace {
  readonly stage: Stage;
  readonly path: PolicyPath;
}

/**
 * Refuses every rule id written again, at the later place, naming the first one's line:col (as
 * the test runner's "first at" for case names). First means first in the file, which is not stage
 * order when `data` is written above `rcpt`; a policy written in code has no file, so it is stage
 * order and the first one's path. Ids that are not strings were refused by the schema already.
 */
export function checkDuplicateRuleIds(places: ReadonlyMap<unknown, readonly RuleIdPlace[]>, source: PolicySource | undefined, reporter: Reporter): void {
  for (const [id, written] of places) {
    if (typeof id !== 'string' || written.length < 2) continue;
    const located = written.map((place) => ({ ...place, pos: source?.locate(place.path) ?? { line: 0, col: 0 } }));
    if (source) located.sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
    const [first, ...again] = located;
    const where = source ? `line ${first!.pos.line}:${first!.pos.col}` : formatPath(first!.path);
    for (const place of again) {
      reporter.error(place.path, `rule id \`${id}\` is already used at stage \`${first!.stage}\` (first at ${where}); rule ids must be unique`, id);
    }
  }
}
