import type { Effect } from '@mailward/core';
import type { HarakaAddressClass, HarakaConnection, HarakaTransaction } from './haraka-types';
import type { MailwardPlugin } from './plugin-state';
import { envelopeAddress } from './stage-input';

/**
 * Applies the envelope effects with Haraka's own objects: a new Address (Haraka's class, taken
 * from the transaction's sender) for mail_from / rcpt_to rewrites and bcc, queue notes for
 * route (`log` lines are written when their stage decides). Values were computed by the engine; nothing is decided here.
 */
export function applyEnvelopeEffects(
  plugin: MailwardPlugin,
  connection: HarakaConnection,
  txn: HarakaTransaction,
  effects: readonly Effect[],
): void {
  const Address = txn.mail_from.constructor as HarakaAddressClass;
  for (const effect of effects) {
    switch (effect.type) {
      case 'rewriteSender':
        if (sameAddress(envelopeAddress(txn.mail_from), effect.from)) {
          txn.mail_from = new Address(`<${effect.to}>`);
        }
        break;
      case 'rewriteRecipient':
        txn.rcpt_to = txn.rcpt_to.map((rcpt) =>
          sameAddress(envelopeAddress(rcpt), effect.from) ? new Address(`<${effect.to}>`) : rcpt,
        );
        break;
      case 'bcc':
        if (!txn.rcpt_to.some((rcpt) => sameAddress(envelopeAddress(rcpt), effect.address))) {
          txn.rcpt_to.push(new Address(`<${effect.address}>`));
        }
        break;
      case 'route': {
        // smtp_forward's per-transaction next hop; Haraka takes one host, so the first of `via`.
        const host = effect.via[0];
        if (host) {
          txn.notes.set('queue.wants', 'smtp_forward');
          txn.notes.set('queue.next_hop', `smtp://${host}`);
          txn.notes.set('mailward.route', host); // the queue hook hands it to outbound (route-handover.ts)
          if (effect.via.length > 1) connection.lognotice(plugin, `route ${effect.rule}: Haraka forwards to ${host} only`);
        }
        break;
      }
      case 'log':
        // Logged when the stage decided (decide.ts), whatever came after.
        break;
      default:
        break;
    }
  }
}

function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
