import type { HarakaConnection, Next } from './haraka-types';
import type { MailwardPlugin, MailwardState } from './plugin-state';
import { describe } from './plugin-state';
import { internalError, type HookOutcome } from './reply';

/**
 * Runs one hook's work and answers Haraka exactly once. Haraka treats a thrown error as CONT
 * (fail-open) and crashes on an unhandled rejection, so every error, sync or async, becomes a
 * logged DENYSOFT here, and nothing can call `next` a second time.
 */
export function runHook(
  plugin: MailwardPlugin,
  next: Next,
  connection: HarakaConnection,
  label: Parameters<typeof internalError>[0],
  work: (state: MailwardState) => Promise<HookOutcome> | HookOutcome,
): void {
  let answered = false;
  const answer = (outcome: HookOutcome): void => {
    if (answered) return;
    answered = true;
    if (outcome.msg === undefined) next(outcome.code);
    else next(outcome.code, outcome.msg);
  };
  const fail = (err: unknown): void => {
    try {
      connection.logerror(plugin, `mailward ${label} failed: ${describe(err)}`);
    } finally {
      answer(internalError(label));
    }
  };
  try {
    const state = plugin.mailward;
    if (!state) throw new Error('no policy is loaded (see the error logged at startup)');
    Promise.resolve(work(state))
      .then(answer, fail)
      .catch((err: unknown) => {
        // Only reachable when Haraka's own next() threw; nothing left to answer.
        plugin.logerror(`mailward ${label}: next() threw: ${describe(err)}`);
      });
  } catch (err) {
    fail(err);
  }
}
