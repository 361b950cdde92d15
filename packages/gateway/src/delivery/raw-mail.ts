import type { Readable } from 'node:stream';
import type { SentMessageInfo, Transporter } from 'nodemailer';
import type MailMessage from 'nodemailer/lib/mailer/mail-message';
import MimeNode from 'nodemailer/lib/mime-node';

/** Envelope addresses as nodemailer writes them, remembered: the same few senders and hubs' users come back all day. */
const normalized = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

/** An envelope address the way sendMail would put it in MAIL FROM / RCPT TO (an IDN domain as its A-label); '' for none. */
export function envelopeAddress(address: string, role: 'from' | 'to'): string {
  const key = `${role}:${address}`;
  let out = normalized.get(key);
  if (out === undefined) {
    const envelope = new MimeNode().setEnvelope(role === 'from' ? { from: address } : { to: [address] }).getEnvelope();
    out = (role === 'from' ? envelope.from : envelope.to[0]) || '';
    if (normalized.size >= MAX_REMEMBERED) normalized.clear();
    normalized.set(key, out);
  }
  return out;
}

/**
 * Hand a message that is already whole (the spooled bytes, rewritten) and its envelope to a
 * pooled transport. `sendMail({ envelope, raw })` does the same through the Mailer's compile
 * step and a MimeNode stream (plugins, a composer, generated ids and headers, a three-stage
 * pipeline), which for bytes sent as they are cost more CPU than the SMTP session itself. The
 * transport API takes any mail whose `message` answers what a MimeNode would: the envelope, a
 * stream, and a message id for its logs. A missing final line end is added by the SMTP data stream.
 *
 * Each `createReadStream` opens the message anew, as a MimeNode's does: when a reused pooled
 * connection turns out closed (a 421 to MAIL FROM from a restarting hub), nodemailer destroys the
 * stream it was given and sends the message again over a new connection, which would wait on a
 * destroyed stream until the socket timeout. Every stream opened is destroyed when the send ends,
 * so a spool file a hop never read is not left open.
 */
export function sendRaw(transport: Transporter, envelope: { from: string; to: string[]; use8BitMime?: boolean }, open: () => Readable): Promise<SentMessageInfo> {
  const from = envelope.from ? envelopeAddress(envelope.from, 'from') : '';
  const to = [...new Set(envelope.to.map((a) => envelopeAddress(a, 'to')).filter(Boolean))];
  const opened: Readable[] = [];
  const message = {
    // use8BitMime: BODY=8BITMIME at MAIL FROM, where the hop offers 8BITMIME (RFC 6152).
    getEnvelope: () => ({ from: from || false, to: [...to], ...(envelope.use8BitMime ? { use8BitMime: true } : {}) }),
    messageId: () => '',
    getHeader: () => undefined,
    createReadStream: () => {
      const stream = open();
      opened.push(stream);
      return stream;
    },
  };
  const mail = { data: {}, message } as unknown as MailMessage;
  return new Promise<SentMessageInfo>((resolve, reject) => {
    transport.transporter.send(mail, (err: Error | null, info?: SentMessageInfo) => {
      for (const stream of opened) stream.destroy();
      if (err) reject(err);
      else resolve(info as SentMessageInfo);
    });
  });
}
