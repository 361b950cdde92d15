import type { QueueRecord } from '../spool/queue-record';

/**
 * A header value as RFC 5322 allows it: control characters out, and text that is not ASCII as
 * RFC 2047 encoded words (UTF-8, base64, each under 76 octets, folded), since the notice goes to
 * hubs that may not take raw UTF-8 in headers (no SMTPUTF8 is asked for).
 */
function headerText(text: string): string {
  const clean = text.replace(/[\x00-\x1f\x7f]+/g, ' ');
  if (!/[^\x20-\x7e]/.test(clean)) return clean;
  const words: string[] = [];
  let chunk = '';
  for (const ch of clean) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?utf-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** The message that tells the admin (or whoever the rule names) that mail was quarantined. */
export function quarantineNotice(record: QueueRecord, to: string[], hostname: string, subject: string, spoolRoot: string): Buffer {
  const lines = [
    `From: Mail Gateway <MAILER-DAEMON@${hostname}>`,
    `To: ${to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: Quarantined: ${headerText(subject.slice(0, 200))}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${record.id}.quarantine@${hostname}>`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `A message was put in quarantine at ${hostname}.`,
    '',
    `  queue id:   ${record.id}`,
    `  reason:     ${record.quarantine?.reason ?? ''}`,
    `  rule:       ${record.quarantine?.rule ?? ''}`,
    `  sender:     <${record.sender}>`,
    `  recipients: ${record.recipients.map((r) => r.address).join(', ')}`,
    `  client:     ${record.client.ip}`,
    '',
    `Release it with: mailward quarantine release ${record.id} --spool ${spoolRoot}`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}
