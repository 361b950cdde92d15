import { quarantineNoticeText, type HeldMessage as Held } from '@mailward/core';

/**
 * What the notice says about a message Haraka holds: the facts the gateway's notice gives, taken
 * from Haraka's transaction (id: its uuid, the id in its logs and in queue/quarantine's file name).
 */
export interface HeldMessage extends Omit<Held, 'whereabouts'> {
  /** Where it is kept: the quarantine file, or the `forward` mailbox it was delivered to. */
  kept: { file: string } | { forward: string };
}

/** The notice mailed to a quarantine's `notify` addresses, in the gateway's words and headers. */
export function quarantineNotice(held: HeldMessage, to: string[], hostname: string, now = new Date()): string {
  const { kept, ...facts } = held;
  const where = 'file' in kept ? `  kept in:    ${kept.file}` : `  forwarded:  <${kept.forward}>`;
  return quarantineNoticeText({ ...facts, whereabouts: [where] }, to, hostname, now);
}
