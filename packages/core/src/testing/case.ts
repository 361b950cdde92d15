import type { Direction, Stage, Verdict } from '../engine/stage';
import type { GreylistState } from '../facts/facts';

/**
 * One PolicyTester case: an SMTP session (envelope + message + facts) and what the policy must
 * decide. The same shape is written in YAML (`tests:` in a policy, or `*.test.yaml`).
 */
export interface PolicyCase {
  /** Unique within a suite; the test's title. */
  name: string;
  envelope?: CaseEnvelope;
  /** An .eml path (relative to the file that holds the case), raw text, or a message built inline. */
  message?: CaseMessage;
  /** Answers of the outside world. Facts not stated are the clean answer (see docs/testing-a-policy.md). */
  facts?: CaseFacts;
  expect: CaseExpect;
}

export interface CaseClient {
  ip: string;
  hostname?: string;
  tls?: boolean;
  /** `true`, or the authenticated user name. */
  auth?: boolean | string;
}

export interface CaseEnvelope {
  /** The client IP, or the client in full. */
  client?: string | CaseClient;
  helo?: string;
  /** Envelope sender; `<>` or "" is the null sender. Default: the message's From. */
  from?: string;
  /** Envelope recipients. Default: the message's To and Cc. */
  to?: string | string[];
  direction?: Direction;
}

export interface InlineAttachment {
  name?: string;
  type?: string;
  /** Text content. */
  content?: string;
  /** Binary content, base64. */
  base64?: string;
  /** Filler content of this many bytes (for size limits), when neither content nor base64 is given. */
  size?: number;
  disposition?: 'attachment' | 'inline';
}

/** A small message, built by `buildMessage`. */
export interface InlineMessage {
  headers?: Record<string, string>;
  text?: string;
  html?: string;
  attachments?: InlineAttachment[];
}

export type CaseMessage = string | { file: string } | { raw: string } | InlineMessage;

export interface FactFailure {
  error: string;
}

export interface CaseFacts {
  spam?: { score: number; threshold?: number; symbols?: string[] } | FactFailure;
  /** `parts`: what each part's own scan found, by part path, for `part: { virus }` rules. */
  virus?: { names: string[]; parts?: Record<string, string[]> } | FactFailure;
  /** Zone -> the A records it answered for the client (empty: not listed). */
  dnsbl?: Record<string, string[] | FactFailure>;
  /** RHSBL zone -> its answer for the sender's domain ([] not listed). */
  rhsbl?: Record<string, string[] | FactFailure>;
  /** One state for every recipient, or per recipient address. */
  greylist?: GreylistState | FactFailure | Record<string, GreylistState | FactFailure>;
  /** Host or domain name -> whether it resolves. */
  resolves?: Record<string, boolean | FactFailure>;
  /** Recipient address -> whether the hub accepts it (recipient verification); unstated: it does. */
  recipientExists?: Record<string, boolean | FactFailure>;
}

export interface ExpectedReply {
  code?: number;
  status?: string;
  text?: string;
}

/** Any fields of an effect; `type` is required. Objects match partially, lists in full. */
export interface ExpectedEffect {
  type: string;
  [field: string]: unknown;
}

export interface ExpectedRecipient {
  address: string;
  verdict?: Verdict;
  reply?: number | ExpectedReply;
}

export interface CaseExpect {
  verdict: Verdict;
  /** The stage that decided. */
  stage?: Stage;
  /** The reply code, or code/status/text. */
  reply?: number | ExpectedReply;
  /** Ids of every rule whose `when` held, in order, over all stages. */
  fired?: string[];
  /** Every effect, in order. Required when the decision changes the message. */
  effects?: ExpectedEffect[];
  recipients?: ExpectedRecipient[];
  quarantine?: { reason?: string; notify?: string[]; forward?: string };
  /**
   * The message as delivered (the rewrite of its effects): an .eml file compared whole, line ends
   * aside, or text it must and must not hold. Masqueraded ids are keyed with OUTPUT_SECRET.
   */
  output?: string | ExpectedOutput;
}

export interface ExpectedOutput {
  contains?: string[];
  lacks?: string[];
}
