import { createHash, randomBytes } from 'node:crypto';
import { fitsWidth, foldField, quotedPrintable, wrapText } from './dsn-lines';
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

const nonAscii = (text: string): boolean => /[^\x00-\x7f]/.test(text);

/** Whether the bytes are UTF-8 (and not another 8-bit charset a client sent raw). */
function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * An address as a DSN field gives it: `rfc822` when it is ASCII, else `utf-8` (RFC 6533 3), in
 * its UTF-8 form, which only a message/global-delivery-status may carry.
 */
const addressField = (address: string): string => `${nonAscii(address) ? 'utf-8' : 'rfc822'}; ${address}`;

/** The readable line for one recipient, wrapped: a reply of several lines keeps one line each. */
function humanLines(f: FailedRecipient): string[] {
  const [first = '', ...more] = f.detail.split(/\r?\n/);
  return [...wrapText(`  <${f.address}>: ${first}`), ...more.flatMap((line) => wrapText(`      ${line}`))];
}

/** What a DSN reports on, and to whom. */
export interface DsnRequest {
  reportingMta: string;
  id: string;
  to: string;
  arrival: number;
  lastAttempt?: number;
  failed: FailedRecipient[];
  /** The header section of the message as it was sent on. */
  headers: Buffer;
  /** The undelivered message was itself from the null sender (a bounce, a notice): this one tells the postmaster. */
  toPostmaster?: boolean;
}

/**
 * A delivery status notification (RFC 3464 multipart/report): a readable part, the
 * machine-readable status per recipient, and the message's headers as they were sent on (after
 * the policy's header effects and the hop's downgrade: see sent-headers). Sent with the null
 * sender. A UTF-8 address or reply makes the status part message/global-delivery-status and
 * UTF-8 headers make the quoted part message/global-headers, both 8bit (RFC 6533); the
 * delivery's 7-bit downgrade encodes them for a hop without 8BITMIME. No line is over 78
 * octets but the words of a hub's reply that are (dsn-lines).
 */
export function buildDsn(opts: DsnRequest): Buffer {
  const boundary = `=_mw_${randomBytes(8).toString('hex')}`;
  const perRecipient = opts.failed
    .map((f) => [
      `Final-Recipient: ${addressField(f.address)}`, 'Action: failed', `Status: ${f.status}`,
      // RFC 3464 2.3.5: a failure the next hop reported names it (MUST, for relaying over SMTP).
      ...(f.remoteMta ? [`Remote-MTA: dns; ${f.remoteMta}`] : []),
      foldField('Diagnostic-Code', diagnosticCode(f.detail)),
      ...(opts.lastAttempt !== undefined ? [`Last-Attempt-Date: ${rfc5322Date(opts.lastAttempt)}`] : []),
    ].join('\r\n'))
    .join('\r\n\r\n');
  const status = [`Reporting-MTA: dns; ${opts.reportingMta}`, `X-Mailward-Queue-ID: ${opts.id}`, `Arrival-Date: ${rfc5322Date(opts.arrival)}`, '', perRecipient].join('\r\n');
  const human = [
    `This is the mail gateway at ${opts.reportingMta}.`,
    '',
    ...(opts.toPostmaster
      ? wrapText('A delivery status notification or notice this gateway had to deliver, sent from the null sender, could not be delivered to these recipients:')
      : ['Your message could not be delivered to these recipients:']),
    '',
    ...opts.failed.flatMap(humanLines),
  ].join('\r\n');
  // A word too long for a line of 78 (a long token in a reply) goes whole, quoted-printable.
  const humanQp = !fitsWidth(human);
  const globalStatus = nonAscii(status);
  const eightBitHeaders = opts.headers.some((b) => b >= 0x80);
  const lines = [
    `From: Mail Delivery System <MAILER-DAEMON@${opts.reportingMta}>`,
    `To: <${opts.to}>`,
    `Subject: ${opts.toPostmaster ? 'Undelivered Mail Delivery Notice' : 'Undelivered Mail Returned to Sender'}`,
    `Date: ${rfc5322Date(Date.now())}`,
    `Message-ID: ${dsnMessageId(opts.id, opts.failed, opts.reportingMta)}`,
    `Auto-Submitted: ${opts.toPostmaster ? 'auto-generated' : 'auto-replied'}`,
    'MIME-Version: 1.0',
    // RFC 6522: report-type is the second part's subtype (global-delivery-status, RFC 6533).
    `Content-Type: multipart/report; report-type=${globalStatus ? 'global-delivery-status' : 'delivery-status'};\r\n boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    // A hub's reply or an address may carry UTF-8: said, as a body without the field is 7bit.
    ...(humanQp ? ['Content-Transfer-Encoding: quoted-printable'] : nonAscii(human) ? ['Content-Transfer-Encoding: 8bit'] : []),
    '',
    humanQp ? quotedPrintable(human) : human,
    '',
    `--${boundary}`,
    `Content-Type: message/${globalStatus ? 'global-' : ''}delivery-status`,
    ...(globalStatus ? ['Content-Transfer-Encoding: 8bit'] : []),
    '',
    status,
    '',
    `--${boundary}`,
    // Headers in raw UTF-8 (an SMTPUTF8 client's) are message/global-headers (RFC 6533 6.3);
    // other raw 8-bit octets (an 8BITMIME client's latin1) are quoted as their bytes, and said.
    `Content-Type: ${eightBitHeaders && isUtf8(opts.headers) ? 'message/global-headers' : 'text/rfc822-headers'}`,
    ...(eightBitHeaders ? ['Content-Transfer-Encoding: 8bit'] : []),
  ];
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`), opts.headers, Buffer.from(`\r\n\r\n--${boundary}--\r\n`)]);
}
