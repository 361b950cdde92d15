import { lstatSync, statSync, unlinkSync } from 'node:fs';
import type { Verdict } from '@mailward/core';

/**
 * Why a verdict delivers nothing to the recipients, so `eval --out` writes no "message as
 * delivered". Only `accept` delivers; a quarantined message is held as received (a release
 * delivers it later, with the same edits and an X-Mailward-Released field).
 */
const NOT_DELIVERED: Readonly<Record<Exclude<Verdict, 'accept'>, string>> = {
  reject: 'the message is rejected: nothing is delivered',
  tempfail: 'the message is refused for now (tempfail): nothing is delivered unless the sender retries and it is accepted',
  drop: 'the message is accepted and discarded (drop): nothing is delivered',
  quarantine: 'the message is held in quarantine: nothing is delivered unless it is released (mailward quarantine release ID)',
};

/** Why `--out` is not written for this verdict, or undefined when the message is delivered. */
export function notDelivered(verdict: Verdict): string | undefined {
  return verdict === 'accept' ? undefined : NOT_DELIVERED[verdict];
}

/** True when both paths name one existing file (`--out` must never overwrite or remove the message read). */
export function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Removes a regular file a previous `--out` left at `out`, so no stale copy passes for this
 * run's message; never the message being evaluated. True when a file was removed.
 */
export function removeStaleCopy(out: string, message: string): boolean {
  let stale;
  try {
    stale = lstatSync(out);
  } catch {
    return false;
  }
  if (!stale.isFile() || sameFile(out, message)) return false;
  unlinkSync(out);
  return true;
}
