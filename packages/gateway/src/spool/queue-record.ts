import type { Client, Effect, RuleTrace } from '@mailward/core';

export type RecipientState = 'pending' | 'delivered' | 'bounced';

export interface RecipientRecord {
  address: string;
  state: RecipientState;
  /** Hosts to deliver this recipient through (a `route` effect), instead of the default. */
  via?: string[];
  lastError?: string;
  /** The next hop that gave lastError, when one answered (the DSN's Remote-MTA at abandonTime). */
  lastRemoteMta?: string;
}

/** The metadata beside a spooled message: everything delivery needs, and its progress. */
export interface QueueRecord {
  id: string;
  createdAt: number;
  client: Client;
  helo?: string;
  /** Envelope sender after rewrites; '' is the null sender. */
  sender: string;
  recipients: RecipientRecord[];
  /** Message effects to apply when delivering. */
  effects: Effect[];
  verdict: 'accept' | 'quarantine' | 'drop';
  fired: string[];
  /** Why it was held; `trace` is the data stage's, rule by rule, for `mailward quarantine show`. */
  quarantine?: { reason: string; notify: string[]; rule?: string; trace?: RuleTrace[] };
  attempts: number;
  /** When `mailward quarantine release` queued it: abandonTime counts from here, not from createdAt. */
  releasedAt?: number;
  nextAttempt: number;
  lastError?: string;
  /** The client sent it as BODY=8BITMIME: it goes on with BODY=8BITMIME (RFC 6152). */
  eightBit?: boolean;
  /**
   * A DSN whose 8-bit octets are UTF-8 in parts RFC 6533 lets be 8bit only on an SMTPUTF8 return
   * path (message/global-delivery-status, message/global-headers): a hop without SMTPUTF8 is
   * sent it 7-bit (its section 6), as a hop without 8BITMIME is.
   */
  utf8Report?: boolean;
  /**
   * Every octet as received was ASCII, and so is every effect's text: the message leaves in ASCII
   * (the edits write other text as encoded words or base64), needs neither 8BITMIME nor SMTPUTF8
   * at any hop, and delivery reads nothing to find that out.
   */
  ascii?: boolean;
  /** Size and SHA-256 of the message file, so a torn or altered file is noticed. */
  size: number;
  sha256: string;
}
