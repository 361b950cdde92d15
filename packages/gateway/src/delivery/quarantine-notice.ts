import { heldFindings, quarantineNoticeText } from '@mailward/core';
import type { QueueRecord } from '../spool/queue-record';

/** The message that tells the admin (or whoever the rule names) that mail was quarantined. */
export function quarantineNotice(record: QueueRecord, to: string[], hostname: string, subject: string, spoolRoot: string): Buffer {
  return Buffer.from(quarantineNoticeText({
    id: record.id,
    reason: record.quarantine?.reason ?? '',
    rule: record.quarantine?.rule ?? '',
    sender: record.sender,
    recipients: record.recipients.map((r) => r.address),
    subject,
    client: record.client.ip,
    findings: heldFindings(record.quarantine?.trace ?? [], record.quarantine?.rule),
    whereabouts: ['', `Release it with: mailward quarantine release ${record.id} --spool ${spoolRoot}`],
  }, to, hostname));
}
