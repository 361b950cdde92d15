import { analyze, rewrite } from '@mailward/core';
import { codes } from './codes';
import { decide, recordDecision } from './decide';
import { effectTarget } from './effect-kind';
import { applyEnvelopeEffects } from './envelope-effects';
import type { HarakaConnection } from './haraka-types';
import { collect, messageSource, readMessage } from './message-content';
import { replaceMessage } from './message-rebuild';
import type { MailwardPlugin, MailwardState } from './plugin-state';
import { outcomeFor, refusal, type HookOutcome } from './reply';
import { combined, remember } from './session-notes';
import { envelopeAddress, stageInput } from './stage-input';

/**
 * End of DATA: analyze the message, gather facts, evaluate the data stage, and when the message
 * is kept apply every effect the session collected (message bytes through core rewrite, envelope
 * through Haraka's API) before answering, so the 250 covers exactly what will be delivered.
 */
export async function dataStage(
  plugin: MailwardPlugin,
  state: MailwardState,
  connection: HarakaConnection,
): Promise<HookOutcome> {
  const txn = connection.transaction;
  if (!txn) return { code: codes.cont };
  const bytes = await readMessage(txn.message_stream);

  const maxSize = state.policy.smtp?.maxSize;
  if (typeof maxSize === 'number' && maxSize > 0 && bytes.length > maxSize) {
    return { code: codes.deny, msg: refusal(552, '5.3.4', 'Message size exceeds fixed maximum message size') };
  }

  const model = await analyze(messageSource(bytes).open());
  const input = stageInput(connection, {
    recipients: txn.rcpt_to.map((r) => envelopeAddress(r)),
    message: model,
  });
  const decision = await decide(state, connection, 'data', input, { message: messageSource(bytes), model });
  recordDecision(plugin, txn.results, decision);
  if (decision.verdict === 'reject' || decision.verdict === 'tempfail') return outcomeFor(decision);

  remember(txn.notes, decision);
  const session = combined(connection.notes, txn.notes);
  const messageEffects = session.effects.filter((e) => effectTarget(e) === 'message');
  if (messageEffects.length > 0) {
    const rewritten = await collect(rewrite(messageSource(bytes).open(), messageEffects, { secret: state.secret }));
    await replaceMessage(txn, rewritten);
  }
  applyEnvelopeEffects(plugin, connection, txn, session.effects.filter((e) => effectTarget(e) === 'envelope'));

  if (session.verdict === 'quarantine') {
    // Understood by Haraka's queue/quarantine plugin: store under quarantine/mailward/, answer OK.
    txn.notes.quarantine = 'mailward';
    txn.notes.quarantine_action = [codes.ok, 'Message accepted'];
  }
  if (session.verdict) {
    const entry: Record<string, unknown> = { [session.verdict]: session.rule ?? 'default', emit: true };
    // Notifying is left to whoever reads the results (not mailed by the plugin).
    if (session.quarantine) entry.quarantine_reason = session.quarantine.reason;
    if (session.quarantine?.notify.length) entry.notify = session.quarantine.notify;
    txn.results.add(plugin, entry);
  }
  return session.verdict ? { code: codes.cont } : outcomeFor(decision);
}
