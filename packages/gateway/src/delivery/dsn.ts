import { createHash, randomBytes } from 'node:crypto';
import type { MessageForm } from './message-form';

export interface FailedRecipient {
  address: string;
  detail: string;
  /** 5.x.x for a refusal, 4.4.7 when the abandon time ran out. */
  status: string;
  /** The next hop whose reply `detail` is, when one answered. */
  remoteMta?: string;
  /** The form that hop was given the message in: the bounce quotes the headers in it. */
  form?: MessageForm;
}

/** The enhanced status a next hop gave in its reply ("550 5.1.1 ..."), or 5.0.0 when it gave none. */
export function refusalStatus(detail: string | undefined): string {
  return /(?:^|\s)5\d\d[ -](5\.\d{1,3}\.\d{1,3})\b/.exec(detail ?? '')?.[1] ?? '5.0.0';
}

/**
 * The Diagnostic-Code (RFC 3464 2.3.6): type `smtp` carries an SMTP reply, so it gets the next
 * hop's reply when there was one ("550 5.1.1 ...", also the last 4xx of an expiry); what the
 * gateway found itself (a DNS answer, a mail loop, a refused connection) is not one, and goes
 * as `X-Mailward`, as Postfix writes its own as `X-Postfix`.
 */
function diagnosticCode(detail: string): string {
  const text = detail.replace(/[\r\n]+/g, ' ');
  const reply = /(?:^|[\s:])([245]\d\d(?:[ -].*)?)$/.exec(text)?.[1];
  return reply ? `smtp; ${reply}` : `X-Mailward; ${text}`;
}

/**
 * The DSN's Message-ID: one per message and set of failed recipients. A message can bounce twice
 * (a 5xx now, the abandon time later), and a mail store that drops duplicate Message-IDs would
 * lose the second bounce if both had the message's; the same bounce queued again after a crash
 * keeps its Message-ID, so such a store drops that duplicate instead.
 */
function dsnMessageId(id: string, failed: FailedRecipient[], reportingMta: string): string {
  const which = createHash('sha256').update(failed.map((f) => f.address.toLowerCase()).sort().join('\n')).digest('hex').slice(0, 12);
  return `<${id}.${which}.dsn@${reportingMta}>`;
}

const rfc5322Date = (ms: number): string => new Date(ms).toUTCString().replace('GMT', '+0000');

/**
 * A delivery status notification (RFC 3464 multipart/report): a readable part, the
 * machine-readable status per recipient, and the message's headers as they were sent on (after
 * the policy's header effects and the hop's downgrade: see sent-headers). Sent with the null sender.
 */
export function buildDsn(opts: { reportingMta: string; id: string; to: string; arrival: number; lastAttempt?: number; failed: FailedRecipient[]; headers: Buffer }): Buffer {
  const boundary = `=_mw_${randomBytes(8).toString('hex')}`;
  const human = opts.failed.map((f) => `  <${f.address}>: ${f.detail}`).join('\r\n');
  const perRecipient = opts.failed
    .map((f) => [
      `Final-Recipient: rfc822; ${f.address}`, 'Action: failed', `Status: ${f.status}`,
      // RFC 3464 2.3.5: a failure the next hop reported names it (MUST, for relaying over SMTP).
      ...(f.remoteMta ? [`Remote-MTA: dns; ${f.remoteMta}`] : []),
      `Diagnostic-Code: ${diagnosticCode(f.detail)}`,
      ...(opts.lastAttempt !== undefined ? [`Last-Attempt-Date: ${rfc5322Date(opts.lastAttempt)}`] : []),
    ].join('\r\n'))
    .join('\r\n\r\n');
  const lines = [
    `From: Mail Delivery System <MAILER-DAEMON@${opts.reportingMta}>`,
    `To: <${opts.to}>`,
    'Subject: Undelivered Mail Returned to Sender',
    `Date: ${rfc5322Date(Date.now())}`,
    `Message-ID: ${dsnMessageId(opts.id, opts.failed, opts.reportingMta)}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    // A hub's reply or an address may carry UTF-8: said, as a body without the field is 7bit.
    ...(/[^\x00-\x7f]/.test(human) ? ['Content-Transfer-Encoding: 8bit'] : []),
    '',
    `This is the mail gateway at ${opts.reportingMta}.`,
    '',
    'Your message could not be delivered to these recipients:',
    '',
    human,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${opts.reportingMta}`,
    `X-Mailward-Queue-ID: ${opts.id}`,
    `Arrival-Date: ${rfc5322Date(opts.arrival)}`,
    '',
    perRecipient,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    // Headers in raw UTF-8 (SMTPUTF8, 8BITMIME clients) are quoted as their bytes, and said.
    ...(opts.headers.some((b) => b >= 0x80) ? ['Content-Transfer-Encoding: 8bit'] : []),
  ];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), opts.headers, Buffer.from(`\r\n\r\n--${boundary}--\r\n`)]);
}
