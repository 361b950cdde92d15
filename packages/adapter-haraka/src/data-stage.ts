import { analyze, heldFindings, rewrite } from '@mailward/core';
import { codes } from './codes';
import { decide, logDecision, recordDecision } from './decide';
import { effectTarget } from './effect-kind';
import { applyEnvelopeEffects } from './envelope-effects';
import type { HarakaAddressClass, HarakaConnection } from './haraka-types';
import { collect, messageSource, readMessage } from './message-content';
import { replaceMessage } from './message-rebuild';
import { dataSizeRefusal } from './size-limit';
import { bodyStart, clientHeaderViolation, strictDataViolation } from './strict-data';
import { harakaAlterations } from './haraka-alterations';
import { noQuarantine, quarantineAvailable } from './queue-stage';
import type { MailwardPlugin, MailwardState } from './plugin-state';
import { outcomeFor, type HookOutcome } from './reply';
import { combined, remember, sessionNotes } from './session-notes';
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

  // The client's header lines first: they came first, and the first offending octet decides.
  const violation =
    clientHeaderViolation((txn as { header_lines?: string[] }).header_lines) ??
    strictDataViolation(bytes, { lengthFrom: bodyStart(bytes) });
  const received = receivedSize(txn, bytes);
  if (violation) {
    connection.lognotice(plugin, `decision stage=data bytes=${received} verdict=reject rule=strict-data reply="${violation.toString()}"`);
    return { code: codes.deny, msg: violation };
  }

  const maxSize = state.policy.smtp?.maxSize;
  if (typeof maxSize === 'number' && maxSize > 0 && received > maxSize) {
    const reply = dataSizeRefusal(maxSize);
    // As the smtp: controls are logged at MAIL (hooks.ts protocolRefusal), with the size seen.
    connection.lognotice(plugin, `refused stage=data by=smtp.maxSize bytes=${received} reply="${reply.toString()}"`);
    return { code: codes.deny, msg: reply };
  }

  const model = await analyze(messageSource(bytes).open());
  model.malformed.push(...harakaAlterations(txn));
  // `size` is the message as received (the language's and the gateway's meaning), not what
  // Haraka will relay, which has Haraka's Received line and other plugins' headers in it.
  model.size = received;
  const input = stageInput(connection, {
    recipients: txn.rcpt_to.map((r) => envelopeAddress(r)),
    message: model,
  });
  const decision = await decide(plugin, state, connection, 'data', input, { message: messageSource(bytes), model });
  recordDecision(plugin, txn.results, decision);
  if (decision.verdict === 'reject' || decision.verdict === 'tempfail') {
    logDecision(plugin, connection, decision, input, model.size);
    return outcomeFor(decision);
  }

  remember(txn.notes, decision);
  const session = combined(connection.notes, txn.notes);
  if (session.verdict === 'quarantine' && !session.quarantine?.forward && !quarantineAvailable(plugin, state)) {
    // The decision line says the 451 the client gets, not the policy's 250.
    const refused = noQuarantine(plugin, connection);
    logDecision(plugin, connection, decision, input, model.size, String(refused.msg));
    return refused;
  }
  logDecision(plugin, connection, decision, input, model.size);
  applyEnvelopeEffects(plugin, connection, txn, session.effects.filter((e) => effectTarget(e) === 'envelope'));
  if (session.verdict === 'quarantine' && session.quarantine?.notify.length) {
    // For the notice at queue_ok, which sees the rewritten message and the `forward` envelope.
    sessionNotes(txn.notes).held = {
      subject: model.headers.find((h) => h.name.toLowerCase() === 'subject')?.decoded ?? '',
      recipients: txn.rcpt_to.map((r) => envelopeAddress(r)),
      findings: heldFindings(decision.trace, decision.rule),
    };
  }
  const messageEffects = session.effects.filter((e) => effectTarget(e) === 'message');
  const forward = session.verdict === 'quarantine' ? session.quarantine?.forward : undefined;
  if (forward) {
    // Endian's "forward to a quarantine address", as the gateway does it: delivered to that
    // mailbox only, marked with why and for whom (the envelope after the policy's rewrites).
    const recipients = txn.rcpt_to.map((r) => envelopeAddress(r)).join(', ');
    messageEffects.push({
      type: 'addHeader',
      rule: session.rule ?? 'quarantine',
      name: 'X-Mailward-Quarantine',
      value: `${session.quarantine?.reason ?? ''}; for ${recipients}`,
    });
  }
  if (messageEffects.length > 0) {
    const rewritten = await collect(rewrite(messageSource(bytes).open(), messageEffects, { secret: state.secret }));
    await replaceMessage(txn, rewritten);
  }
  if (forward) {
    const Address = txn.mail_from.constructor as HarakaAddressClass;
    txn.rcpt_to = [new Address(`<${forward}>`)];
    connection.lognotice(plugin, `quarantined by rule ${session.rule ?? 'default'}: forwarded to <${forward}> instead of the recipients`);
  }

  if (session.verdict === 'quarantine' && !forward) {
    // Understood by Haraka's queue/quarantine plugin: store under quarantine/mailward/, answer OK.
    txn.notes.quarantine = 'mailward';
    txn.notes.quarantine_action = [codes.ok, 'Message accepted'];
  }
  if (session.verdict) {
    const entry: Record<string, unknown> = { [session.verdict]: session.rule ?? 'default', emit: true };
    // `notify` is mailed at queue_ok, once the message is kept (quarantine-notify.ts).
    if (session.quarantine) entry.quarantine_reason = session.quarantine.reason;
    if (session.quarantine?.notify.length) entry.notify = session.quarantine.notify;
    if (forward) entry.forward = forward;
    txn.results.add(plugin, entry);
  }
  return session.verdict ? { code: codes.cont } : outcomeFor(decision);
}

/**
 * The size of the message as the client sent it (RFC 1870: without the dots transparency adds):
 * Haraka's count of DATA octets on the wire, less the final ".CRLF" and one dot for each line
 * that begins with one (a header line never does, so Haraka's own need not be told apart). What
 * message_stream gives is larger (Haraka's own Received line, headers other plugins added at
 * data_post) or smaller (header lines over headers.max_lines dropped).
 */
function receivedSize(txn: NonNullable<HarakaConnection['transaction']>, bytes: Buffer): number {
  if (typeof txn.data_bytes !== 'number' || txn.data_bytes < 3) return bytes.length;
  let stuffed = bytes[0] === 0x2e ? 1 : 0;
  for (let at = bytes.indexOf('\n.'); at !== -1; at = bytes.indexOf('\n.', at + 2)) stuffed++;
  return txn.data_bytes - 3 - stuffed;
}
