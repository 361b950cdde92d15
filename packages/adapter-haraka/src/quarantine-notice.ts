/**
 * What the notice says about a quarantined message: the facts the gateway's notice gives
 * (packages/gateway/src/delivery/quarantine-notice.ts), taken from Haraka's transaction.
 */
export interface HeldMessage {
  /** Haraka's transaction uuid, the id in its logs and in queue/quarantine's file name. */
  id: string;
  reason: string;
  rule: string;
  /** The envelope sender after the policy's rewrites ('' for the null sender). */
  sender: string;
  /** The envelope recipients after the policy's rewrites (before a `forward` replaces them). */
  recipients: string[];
  /** The Subject as received, decoded. */
  subject: string;
  client: string;
  /** Where it is kept: the quarantine file, or the `forward` mailbox it was delivered to. */
  kept: { file: string } | { forward: string };
}

/** Control characters (CR and LF among them) as one space: a value cannot start a new line. */
const oneLine = (text: string): string => text.replace(/[\x00-\x1f\x7f]+/g, ' ');

/**
 * A header value as RFC 5322 allows it: on one line, and text
 * that is not ASCII as RFC 2047 encoded words (UTF-8, base64, folded), as the gateway writes it:
 * the notice goes out without asking for SMTPUTF8.
 */
function headerText(text: string): string {
  const clean = oneLine(text);
  if (!/[^\x20-\x7e]/.test(clean)) return clean;
  const words = [''];
  for (const ch of clean) {
    if (Buffer.byteLength(words[words.length - 1] + ch) > 45) words.push('');
    words[words.length - 1] += ch;
  }
  return words.map((w) => `=?utf-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** The notice mailed to a quarantine's `notify` addresses, in the gateway's words and headers. */
export function quarantineNotice(held: HeldMessage, to: string[], hostname: string, now = new Date()): string {
  const kept = 'file' in held.kept ? `  kept in:    ${held.kept.file}` : `  forwarded:  <${held.kept.forward}>`;
  return [
    `From: Mail Gateway <MAILER-DAEMON@${hostname}>`,
    `To: ${to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: Quarantined: ${headerText(held.subject.slice(0, 200))}`,
    `Date: ${now.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${held.id}.quarantine@${hostname}>`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `A message was put in quarantine at ${hostname}.`,
    '',
    `  queue id:   ${held.id}`,
    `  reason:     ${oneLine(held.reason)}`,
    `  rule:       ${held.rule}`,
    `  sender:     <${held.sender}>`,
    `  recipients: ${held.recipients.join(', ')}`,
    `  client:     ${held.client}`,
    kept,
    '',
  ].join('\r\n');
}
