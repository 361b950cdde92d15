import type { QueueRecord } from '../spool/queue-record';

/** The message that tells the admin (or whoever the rule names) that mail was quarantined. */
export function quarantineNotice(record: QueueRecord, to: string[], hostname: string, subject: string, spoolRoot: string): Buffer {
  const lines = [
    `From: Mail Gateway <MAILER-DAEMON@${hostname}>`,
    `To: ${to.map((a) => `<${a}>`).join(', ')}`,
    `Subject: Quarantined: ${subject.replace(/[\r\n]+/g, ' ').slice(0, 200)}`,
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
