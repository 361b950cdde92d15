import { recipientMeant, type Stage } from '@mailward/core';
import { codes } from './codes';
import { dataStage } from './data-stage';
import { decide, logDecision, recordDecision } from './decide';
import { hiddenKeywords, refuseCommand, refuseNonAscii, refuseParameters, withoutHidden } from './hidden-keywords';
import { declaredSizeRefusal, withPolicySize } from './size-limit';
import type { HarakaAddress, HarakaAddressClass, HarakaConnection, Next } from './haraka-types';
import { loadState, type MailwardPlugin, type MailwardState } from './plugin-state';
import { queueStage } from './queue-stage';
import { otherRouteRefusal } from './recipient-route';
import { mailQuarantineNotice } from './quarantine-notify';
import { outcomeFor, refusal, type DSN, type HookOutcome } from './reply';
import { runHook } from './run-hook';
import { remember } from './session-notes';
import { envelopeAddress, stageInput } from './stage-input';

// Haraka copies these exports onto its Plugin object and calls them with `this` = that object.
// hook_* names are registered by Haraka at priority 0, in config/plugins order; the others are
// registered in register() with the priority their job needs.

/** Loads config/mailward.yaml and the policy (a bad one stops Haraka) and registers hooks. */
export function register(this: MailwardPlugin): void {
  loadState(this);
  // After scanners (spamassassin, clamd) so their results can be used as facts.
  this.register_hook('data_post', 'mailward_data_post', 50);
  // Before every queue plugin, so a dropped or quarantined message is never delivered.
  this.register_hook('queue', 'mailward_queue', -100);
  this.register_hook('queue_outbound', 'mailward_queue', -100);
  // Once a queue plugin has kept the message: a quarantine's notice to its `notify` addresses.
  this.register_hook('queue_ok', 'mailward_queue_ok');
  // Last, after tls/auth plugins have added their keywords.
  this.register_hook('capabilities', 'mailward_capabilities', 100);
  // First, before auth/tls plugins answer AUTH or STARTTLS.
  this.register_hook('unrecognized_command', 'mailward_command', -100);
}

/** connect stage. */
export function hook_connect(this: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  runHook(this, next, connection, 'connect', (state) => envelopeStage(this, state, connection, 'connect'));
}

/** helo stage, for HELO. */
export function hook_helo(this: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  runHook(this, next, connection, 'helo', (state) => envelopeStage(this, state, connection, 'helo'));
}

/** helo stage, for EHLO. */
export function hook_ehlo(this: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  runHook(this, next, connection, 'helo', (state) => envelopeStage(this, state, connection, 'helo'));
}

/** mail stage; MAIL parameters of a hidden extension are refused first. */
export function hook_mail(
  this: MailwardPlugin,
  next: Next,
  connection: HarakaConnection,
  params: [HarakaAddress, Record<string, unknown>?],
): void {
  runHook(this, next, connection, 'mail', (state) => {
    const refused =
      refuseParameters('MAIL', params?.[1], hiddenKeywords(state.policy), connection.capabilities) ??
      refuseNonAscii(envelopeAddress(params?.[0]), hiddenKeywords(state.policy));
    if (refused) return protocolRefusal(this, connection, 'mail', refused);
    const tooBig = declaredSizeRefusal(params?.[1], state.policy.smtp?.maxSize);
    if (tooBig) return protocolRefusal(this, connection, 'mail', tooBig, 'smtp.maxSize');
    return envelopeStage(this, state, connection, 'mail');
  });
}

/** rcpt stage, once per recipient; a refusal refuses only this recipient. */
export function hook_rcpt(
  this: MailwardPlugin,
  next: Next,
  connection: HarakaConnection,
  params: [HarakaAddress, Record<string, unknown>?],
): void {
  runHook(this, next, connection, 'rcpt', (state) => {
    const refused =
      refuseParameters('RCPT', params?.[1], hiddenKeywords(state.policy), connection.capabilities) ??
      refuseNonAscii(envelopeAddress(params?.[0]), hiddenKeywords(state.policy));
    if (refused) return protocolRefusal(this, connection, 'rcpt', refused);
    const txn = connection.transaction;
    // Haraka has already appended this recipient; the ones before it were accepted.
    const accepted = (txn?.rcpt_to ?? []).slice(0, -1).map((r) => envelopeAddress(r));
    const max = state.policy.smtp?.maxRecipients;
    if (typeof max === 'number' && max > 0 && accepted.length >= max) {
      return protocolRefusal(this, connection, 'rcpt', refusal(452, '4.5.3', `Too many recipients (at most ${max} per message)`), 'smtp.maxRecipients');
    }
    // RFC 5321 4.5.1: a bare <Postmaster> stands for the postmaster mailbox, decided on and delivered as that.
    const recipient = recipientMeant(envelopeAddress(params?.[0]), state.settings.postmaster);
    if (recipient !== envelopeAddress(params?.[0]) && txn && txn.rcpt_to.length > 0) {
      const Address = txn.rcpt_to[txn.rcpt_to.length - 1]!.constructor as HarakaAddressClass;
      txn.rcpt_to[txn.rcpt_to.length - 1] = new Address(`<${recipient}>`);
    }
    return envelopeStage(this, state, connection, 'rcpt', { recipient, recipients: accepted });
  });
}

/** data stage at end of DATA (see data-stage.ts). */
export function mailward_data_post(this: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  runHook(this, next, connection, 'data', (state) => dataStage(this, state, connection));
}

/** Carries out drop and quarantine (see queue-stage.ts). */
export function mailward_queue(this: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  runHook(this, next, connection, 'queue', (state) => queueStage(this, state, connection));
}

/** Mails a kept quarantine's notice (see quarantine-notify.ts); never changes the 250. */
export function mailward_queue_ok(this: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  mailQuarantineNotice(this, next, connection);
}

/** Removes the policy's hidden keywords from the EHLO reply and advertises its maxSize. */
export function mailward_capabilities(this: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  runHook(this, next, connection, 'capabilities', (state) => {
    if (connection.capabilities) {
      connection.capabilities = withPolicySize(
        withoutHidden(connection.capabilities, hiddenKeywords(state.policy)),
        state.policy.smtp?.maxSize,
      );
    }
    return { code: codes.cont };
  });
}

/** Refuses commands of hidden extensions (AUTH, STARTTLS, ETRN...) even when sent blind. */
export function mailward_command(
  this: MailwardPlugin,
  next: Next,
  connection: HarakaConnection,
  params: [string, string?] | string,
): void {
  runHook(this, next, connection, 'capabilities', (state) => {
    const command = Array.isArray(params) ? params[0] : params;
    const refused = refuseCommand(String(command ?? ''), hiddenKeywords(state.policy));
    return refused ? protocolRefusal(this, connection, 'command', refused) : { code: codes.cont };
  });
}

/**
 * A refusal by the policy's `smtp:` controls (a hidden keyword used anyway, a declared size,
 * the recipient limit), logged as the gateway logs them, DENY for 5xx and DENYSOFT for 4xx.
 */
function protocolRefusal(
  plugin: MailwardPlugin,
  connection: HarakaConnection,
  where: string,
  reply: DSN,
  control = 'smtp.hideKeywords',
): HookOutcome {
  connection.lognotice(plugin, `refused stage=${where} by=${control} reply="${reply.toString()}"`);
  return { code: reply.code >= 500 ? codes.deny : codes.denysoft, msg: reply };
}

/** connect, helo, mail and rcpt: evaluate, record, keep what acts later, answer. */
async function envelopeStage(
  plugin: MailwardPlugin,
  state: MailwardState,
  connection: HarakaConnection,
  stage: Exclude<Stage, 'data'>,
  extra: { recipient?: string; recipients?: string[] } = {},
): Promise<HookOutcome> {
  const input = stageInput(connection, extra);
  const decision = await decide(plugin, state, connection, stage, input);
  const txn = connection.transaction;
  const accepted = decision.verdict !== 'reject' && decision.verdict !== 'tempfail';
  // Haraka sends a transaction to one host: a recipient routed elsewhere waits for the next one.
  const otherRoute =
    stage === 'rcpt' && accepted && txn ? otherRouteRefusal(txn.notes, decision, extra.recipients?.length ?? 0) : undefined;
  logDecision(plugin, connection, decision, input, undefined, otherRoute?.toString());
  const perConnection = stage === 'connect' || stage === 'helo';
  recordDecision(plugin, perConnection || !txn ? connection.results : txn.results, decision);
  if (otherRoute) return { code: codes.denysoft, msg: otherRoute };
  if (accepted) remember(perConnection || !txn ? connection.notes : txn.notes, decision);
  return outcomeFor(decision);
}
