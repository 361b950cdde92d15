import * as os from 'node:os';
import { codes } from './codes';
import type { HarakaConnection, HarakaOutbound, Next } from './haraka-types';
import { describe, type MailwardPlugin } from './plugin-state';
import { quarantineNotice, type HeldMessage } from './quarantine-notice';
import { combined, sessionNotes } from './session-notes';
import { envelopeAddress } from './stage-input';

/**
 * queue_ok, once a quarantined message is kept (queue/quarantine's file or ours) or queued for
 * its `forward` mailbox: mails the notice to the quarantine's `notify` addresses through
 * Haraka's outbound, from the null sender, and answers when outbound has it on disk (so before
 * the 250, as the gateway queues its notice with the message). As in the gateway, a notice that
 * cannot be queued is logged and the quarantine stands; Haraka ignores a queue_ok answer anyway.
 */
export function mailQuarantineNotice(plugin: MailwardPlugin, next: Next, connection: HarakaConnection): void {
  let answered = false;
  const answer = (): void => {
    if (answered) return;
    answered = true;
    next();
  };
  let what = 'quarantine notice';
  try {
    const notice = pendingNotice(plugin, connection);
    if (!notice) return answer();
    const { held, to } = notice;
    what = `quarantine notice for ${held.id} to ${to.map((a) => `<${a}>`).join(', ')}`;
    const outbound = plugin.haraka_require?.('outbound') as HarakaOutbound | undefined;
    if (!outbound) throw new Error("Haraka's outbound module is not available");
    const text = quarantineNotice(held, to, hostname(plugin));
    outbound.send_email('<>', [...to], text, (code, msg) => {
      if (code === codes.ok) connection.loginfo(plugin, `${what} queued: ${String(msg ?? '')}`);
      else connection.logerror(plugin, `${what} not queued (${codes.translate(code)} ${describe(msg)}); the message stays in quarantine`);
      answer();
    }, { origin: plugin });
  } catch (err) {
    connection.logerror(plugin, `${what} not queued: ${describe(err)}; the message stays in quarantine`);
    answer();
  }
}

/** The notice this transaction owes, if its quarantine names `notify` addresses and was kept. */
function pendingNotice(plugin: MailwardPlugin, connection: HarakaConnection): { held: HeldMessage; to: string[] } | undefined {
  const txn = connection.transaction;
  if (!txn) return undefined;
  const session = combined(connection.notes, txn.notes);
  const to = session.quarantine?.notify ?? [];
  if (session.verdict !== 'quarantine' || to.length === 0) return undefined;
  const forward = session.quarantine?.forward;
  const file = typeof txn.notes.quarantined === 'string' ? txn.notes.quarantined : undefined;
  if (!forward && !file) {
    // queue/quarantine answers its OK even when it could not write the file.
    connection.logerror(plugin, `quarantine notice for ${txn.uuid} not sent: no quarantine file was recorded for it`);
    return undefined;
  }
  const noted = sessionNotes(txn.notes).held;
  const held: HeldMessage = {
    id: txn.uuid,
    reason: session.quarantine?.reason ?? '',
    rule: session.rule ?? 'default',
    sender: envelopeAddress(txn.mail_from),
    recipients: noted?.recipients ?? txn.rcpt_to.map((r) => envelopeAddress(r)),
    subject: noted?.subject ?? txn.header.get_decoded('Subject').trim(),
    client: connection.remote.ip,
    ...(noted?.findings ? { findings: noted.findings } : {}),
    kept: forward ? { forward } : { file: file ?? '' },
  };
  return { held, to };
}

/** This host's name as Haraka's outbound names it: config/me, else the system's. */
function hostname(plugin: MailwardPlugin): string {
  const me = plugin.config.get('me', 'value');
  return typeof me === 'string' && me.trim() !== '' ? me.trim() : os.hostname();
}
