import { codes } from './codes';
import type { HarakaConnection, HarakaOutbound } from './haraka-types';
import type { MailwardPlugin } from './plugin-state';
import { refusal, type HookOutcome } from './reply';

/**
 * A message the policy routed (`route`) is handed to Haraka's outbound, whose get_mx hooks
 * (smtp_forward's) deliver it to `queue.next_hop`. Left to the queue plugins it would go where
 * smtp_forward.ini says: smtp_forward's queue hook takes its host from its own config and reads
 * `queue.next_hop` only in get_mx, so inbound mail (and relayed mail with enable_outbound) went
 * to the default host instead of the route's. Undefined when the message has no route.
 */
export function handOverRouted(plugin: MailwardPlugin, connection: HarakaConnection): Promise<HookOutcome> | undefined {
  const txn = connection.transaction;
  const host = txn?.notes.get('mailward.route');
  if (!txn || typeof host !== 'string') return undefined;
  const outbound = plugin.haraka_require?.('outbound') as HarakaOutbound | undefined;
  const send = outbound?.send_trans_email?.bind(outbound);
  if (!send) {
    connection.logerror(plugin, `route to ${host}: Haraka's outbound module is not available; message refused with 451`);
    return Promise.resolve({ code: codes.denysoft, msg: refusal(451, '4.3.0', 'Message cannot be queued now; try again later') });
  }
  return new Promise((resolve) => {
    send(txn, (code, msg) => {
      if (code === codes.ok) {
        connection.loginfo(plugin, `routed to ${host}: ${String(msg ?? 'queued')}`);
        resolve({ code: codes.ok, msg: 'Message accepted' });
      } else {
        connection.logerror(plugin, `route to ${host}: outbound did not queue it (${String(msg ?? code)}); message refused with 451`);
        resolve({ code: codes.denysoft, msg: refusal(451, '4.3.0', 'Message cannot be queued now; try again later') });
      }
    });
  });
}
