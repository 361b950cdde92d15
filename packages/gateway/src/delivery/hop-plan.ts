import type { Readable } from 'node:stream';
import { unencodableField } from '@mailward/core';
import type { RecipientOutcome } from './delivery-config';
import type { HopExtensions } from './hop-extensions';
import type { MessageOctets } from './message-octets';
import { inForm, type MessageForm } from './message-form';
import { envelopeAddress } from './raw-mail';

/** What the spool knows of a message's octets. */
export interface MessageBody {
  /** The client declared BODY=8BITMIME. */
  eightBit: boolean;
  /** Every octet as received was ASCII (queue-record.ts): nothing need be read to fit it to a hop. */
  ascii: boolean;
  /** A DSN with 8bit RFC 6533 global parts (queue-record.ts): 7-bit to a hop without SMTPUTF8. */
  utf8Report?: boolean;
}

/** One message to one group of recipients, as the relay has it. */
export interface OutgoingMessage extends MessageBody {
  sender: string;
  recipients: string[];
  open: () => Readable;
  octets: MessageOctets;
}

/** What goes to one hop, and how. */
export interface HopPlan {
  send: string[];
  /** Recipients this hop cannot be given the message for: their permanent outcomes. */
  refused: RecipientOutcome[];
  open: () => Readable;
  use8BitMime: boolean;
  /** What `open` gives: the message made 7-bit (the hop offers no 8BITMIME), its UTF-8 headers encoded words (no SMTPUTF8), or as it is. */
  form: MessageForm;
}

const nonAscii = (text: string): boolean => /[^\x00-\x7f]/.test(text);

/**
 * Fit the message to what the hop offers. The extensions are asked for (`extensions()`, which
 * may cost a probe) only when the message needs one: a non-ASCII local part (IDN domains go as
 * A-labels) or raw UTF-8 in the header section needs SMTPUTF8, 8-bit octets in the body
 * 8BITMIME. Without SMTPUTF8 the recipients it is needed for are refused, 5.6.7 for an address
 * (RFC 6531 3.2), never sent raw; UTF-8 header fields are made RFC 2047 encoded words, or, where
 * one cannot be (a non-ASCII address in From), every recipient is refused 5.6.9 (RFC 6533).
 * Without 8BITMIME an 8-bit body is downgraded to 7 bit (RFC 6152 3), sent without BODY=8BITMIME;
 * so is a DSN's (utf8Report) without SMTPUTF8 (RFC 6533 6).
 * `known`: the hop's extensions if already known, which spares reading the message for what
 * they offer anyway.
 */
export async function planFor(
  message: OutgoingMessage, hop: string, known: HopExtensions | undefined, extensions: () => Promise<HopExtensions>,
): Promise<HopPlan> {
  const { sender, recipients, open, eightBit, octets } = message;
  const utf8Sender = sender !== '' && nonAscii(envelopeAddress(sender, 'from'));
  const utf8Recipients = recipients.filter((r) => nonAscii(envelopeAddress(r, 'to')));
  // An ASCII message fits every hop as it is: read nothing, ask nothing.
  if (message.ascii && !utf8Sender && utf8Recipients.length === 0) return { send: recipients, refused: [], open, use8BitMime: eightBit, form: 'as-is' };
  const utf8Header = known?.smtpUtf8 ? false : await octets.headerIs8bit();
  const eightBitBody = known?.eightBitMime ? undefined : await octets.bodyIs8bit();
  const needsUtf8 = utf8Sender || utf8Recipients.length > 0 || utf8Header || message.utf8Report === true;
  const offered = known ?? (needsUtf8 || eightBitBody ? await extensions() : undefined);
  const use8BitMime = eightBit || eightBitBody === true;
  if (!offered) return { send: recipients, refused: [], open, use8BitMime, form: 'as-is' };

  let refused: RecipientOutcome[] = [];
  let asciiHeader = false;
  if (!offered.smtpUtf8 && needsUtf8) {
    const why = (text: string, status: string) => (address: string): RecipientOutcome => ({
      address, outcome: 'permanent', status, detail: `${text}: the next hop offers no SMTPUTF8 (${hop})`, hop,
    });
    // UTF-8 headers are made encoded words, unless one cannot be (a non-ASCII address in From).
    const block = utf8Header && !utf8Sender ? await octets.headerBlock() : undefined;
    const field = utf8Header && !utf8Sender ? (block ? unencodableField(block) : 'of a header section this big') : undefined;
    if (utf8Sender) refused = recipients.map(why("non-ASCII address not permitted: the sender's local part is not ASCII (RFC 6531 3.2)", '5.6.7'));
    else if (field) refused = recipients.map(why(`message header ${field} in UTF-8 not permitted, and no encoded word can carry it (RFC 6532 3.3)`, '5.6.9'));
    else {
      refused = utf8Recipients.map(why("non-ASCII address not permitted for that recipient: its local part is not ASCII (RFC 6531 3.2)", '5.6.7'));
      asciiHeader = utf8Header;
    }
  }
  const send = recipients.filter((r) => !refused.some((o) => o.address === r));
  // RFC 6533 6: a DSN's global parts go 8bit only on an SMTPUTF8 return path.
  const downgraded = (!offered.eightBitMime && eightBitBody === true) || (message.utf8Report === true && !offered.smtpUtf8);
  // The 7-bit downgrade makes the header section 7-bit as well.
  const form: MessageForm = downgraded ? '7bit' : asciiHeader ? 'ascii-header' : 'as-is';
  return { send, refused, open: inForm(open, form), use8BitMime: use8BitMime && !downgraded, form };
}
