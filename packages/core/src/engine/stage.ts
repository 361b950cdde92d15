/** The SMTP stages a policy has rules for, in session order. */
export type Stage = 'connect' | 'helo' | 'mail' | 'rcpt' | 'data';

export const STAGES: readonly Stage[] = ['connect', 'helo', 'mail', 'rcpt', 'data'];

/** The outcome of a stage. `drop` accepts, then discards; `quarantine` accepts into quarantine. */
export type Verdict = 'accept' | 'reject' | 'tempfail' | 'drop' | 'quarantine';

export type Direction = 'inbound' | 'outbound';

/** An SMTP reply: 250 / 2.0.0 / "OK". */
export interface Reply {
  code: number;
  /** Enhanced status code (RFC 3463), "5.7.1". */
  status: string;
  text: string;
}
