import type { MessageModel } from '../message/model';
import type { Direction } from './stage';

/** The connecting client as the SMTP layer saw it. */
export interface Client {
  ip: string;
  /** Reverse DNS name, when the host looked it up. */
  hostname?: string;
  tls: boolean;
  authenticated: boolean;
  user?: string;
}

/**
 * What a stage is evaluated over. Later stages carry everything earlier ones knew.
 * Addresses are as given in the envelope; the null sender `<>` is the empty string.
 */
export interface StageInput {
  client: Client;
  /** Set by the host when it knows better (a submission listener); otherwise derived from the policy's `outbound.clients`. */
  direction?: Direction;
  helo?: string;
  sender?: string;
  /** The recipient being decided (rcpt stage). */
  recipient?: string;
  /** Recipients accepted so far, without the one being decided (rcpt), or all accepted recipients (data). */
  recipients: string[];
  message?: MessageModel;
}
