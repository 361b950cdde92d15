import type { Readable } from 'node:stream';
import type { Client, Decision, Effect, MessageModel, MessageSource } from '@mailward/core';

/** A message the data stage let through, with everything delivery needs. */
export interface AcceptedMessage {
  client: Client;
  helo?: string;
  sender: string;
  recipients: { address: string; effects: Effect[] }[];
  /** The data decision (accept, quarantine or drop). */
  decision: Decision;
  /** Message effects of every stage, in order (connect .. data). */
  effects: Effect[];
  model: MessageModel;
  size: number;
  /** The BODY the client declared at MAIL FROM (RFC 6152): 8BITMIME is passed on to the next hop. */
  body?: '7BIT' | '8BITMIME';
  /** The client opened with HELO, not EHLO: plain SMTP (a Received line's `with SMTP`, RFC 3848). */
  plainSmtp?: boolean;
}

/** Where DATA goes while it is filtered: the gateway's spool, or memory. */
export interface MessageStore {
  /** Keep the bytes until `commit` or `discard`; resolves once they are all held. */
  receive(data: Readable): Promise<StoredMessage>;
}

export interface StoredMessage {
  source: MessageSource;
  /** Make the message durable and queue it; resolves to the queue id given in the 250 reply, if any. */
  commit(message: AcceptedMessage): Promise<string | void>;
  discard(): Promise<void>;
}
