import type { Decision, Stage } from '@mailward/core';
import { codes } from './codes';
import type { HarakaReplyText } from './haraka-types';

/**
 * An SMTP reply with its own code. Haraka's connection.respond() recognises an object whose
 * constructor is named `DSN` and writes `code reply`, so the client sees the policy's exact
 * "550 5.7.1 Relaying denied" instead of Haraka's per-hook default code and text.
 */
export class DSN {
  constructor(
    readonly code: number,
    readonly reply: string,
  ) {}

  /**
   * The reply as Haraka's own DSN class prints it. Haraka's log lines for a refused sender or
   * recipient ("recipient <x> code=DENY msg=...") interpolate the message, which without this
   * read `[object Object]`.
   */
  toString(): string {
    return `${this.code} ${this.reply}`;
  }
}

/** What a hook hands to next(): a haraka-constants code and, for refusals, the reply. */
export interface HookOutcome {
  code: number;
  msg?: HarakaReplyText;
}

/** The reply for a refusal, "5.7.1 text" behind the policy's code. */
export function refusal(code: number, status: string, text: string): DSN {
  return new DSN(code, status ? `${status} ${text}` : text);
}

/**
 * Maps a Decision to next() arguments. Refusals always answer (DENY/DENYSOFT with the policy's
 * reply). An accept a rule decided is OK: the policy permits it, which at rcpt is what grants
 * relaying, and other plugins' checks for that hook are skipped as with any Haraka whitelist.
 * An accept only the stage default gave is CONT, so the other plugins and Haraka's own defaults
 * still have their say; rcpt is the exception, because the language's rcpt default is reject,
 * so a policy whose rcpt default accepts wrote that on purpose. drop and quarantine accept now
 * and act at queue time; at data they are CONT so the message reaches hook_queue.
 */
export function outcomeFor(decision: Decision): HookOutcome {
  const { reply } = decision;
  switch (decision.verdict) {
    case 'reject':
      return { code: codes.deny, msg: refusal(reply.code, reply.status, reply.text) };
    case 'tempfail':
      return { code: codes.denysoft, msg: refusal(reply.code, reply.status, reply.text) };
    case 'drop':
    case 'quarantine':
      return { code: decision.stage === 'data' ? codes.cont : codes.ok };
    case 'accept':
      return { code: decision.rule !== undefined || decision.stage === 'rcpt' ? codes.ok : codes.cont };
  }
}

/** The answer when the plugin itself fails: never fail open, never crash Haraka. */
export function internalError(stage: Stage | 'queue' | 'capabilities'): HookOutcome {
  return { code: codes.denysoft, msg: refusal(451, '4.3.0', `Mail policy check failed at ${stage}; try again later`) };
}
