import type { Effect, EffectType } from '../engine/effect';
import type { Reply } from '../engine/stage';
import type { CaseExpect, ExpectedEffect, ExpectedReply } from './case';
import type { SessionOutcome } from './session-outcome';

// Which effects change the message bytes. A Record over EffectType makes a new effect type a
// compile error here until someone decides whether a case must state it.
const CHANGES_MESSAGE: Record<EffectType, boolean> = {
  removeHeaders: true,
  keepHeaders: true,
  addHeader: true,
  rewriteHeader: true,
  masquerade: true,
  subjectPrefix: true,
  stripPart: true,
  dropPart: true,
  stripHtml: true,
  rewriteSender: false,
  rewriteRecipient: false,
  bcc: false,
  route: false,
  log: false,
};

/** True for effects that change the message itself (which a case must then state). */
export function changesMessage(effect: Effect): boolean {
  return CHANGES_MESSAGE[effect.type] ?? true;
}

/** Compares what a case expects with what the session did; returns one line per difference. */
export function compareOutcome(expect: CaseExpect, got: SessionOutcome): string[] {
  const failures: string[] = [];
  if (got.verdict !== expect.verdict) {
    failures.push(`verdict: expected ${expect.verdict}, got ${got.verdict} at ${got.stage} (${decidedBy(got)}: ${replyText(got.reply)})`);
  }
  if (expect.stage !== undefined && got.stage !== expect.stage) {
    failures.push(`stage: expected the decision at ${expect.stage}, got ${got.stage}`);
  }
  if (expect.reply !== undefined) failures.push(...compareReply('reply', expect.reply, got.reply));
  if (expect.fired !== undefined && !sameList(expect.fired, got.fired)) {
    failures.push(`fired: expected [${expect.fired.join(', ')}], got [${got.fired.join(', ')}]`);
  }
  failures.push(...compareEffects(expect.effects, got.effects));
  for (const want of expect.recipients ?? []) {
    const rcpt = got.recipients.find((r) => r.address.toLowerCase() === want.address.toLowerCase());
    if (!rcpt) {
      failures.push(`recipients: ${want.address} was not in the session (got ${got.recipients.map((r) => r.address).join(', ') || 'none'})`);
      continue;
    }
    if (want.verdict !== undefined && rcpt.verdict !== want.verdict) {
      failures.push(`recipient ${want.address}: expected ${want.verdict}, got ${rcpt.verdict} (${replyText(rcpt.reply)})`);
    }
    if (want.reply !== undefined) failures.push(...compareReply(`recipient ${want.address} reply`, want.reply, rcpt.reply));
  }
  if (expect.quarantine !== undefined) {
    const q = got.quarantine;
    if (!q) failures.push('quarantine: expected quarantine details, got none');
    else {
      if (expect.quarantine.reason !== undefined && q.reason !== expect.quarantine.reason) {
        failures.push(`quarantine reason: expected "${expect.quarantine.reason}", got "${q.reason}"`);
      }
      if (expect.quarantine.notify !== undefined && !sameList(expect.quarantine.notify, q.notify)) {
        failures.push(`quarantine notify: expected [${expect.quarantine.notify.join(', ')}], got [${q.notify.join(', ')}]`);
      }
      if (expect.quarantine.forward !== undefined && q.forward?.toLowerCase() !== expect.quarantine.forward.toLowerCase()) {
        failures.push(`quarantine forward: expected ${expect.quarantine.forward}, got ${q.forward ?? 'none (held in the gateway)'}`);
      }
    }
  }
  return failures;
}

function compareReply(what: string, want: number | ExpectedReply, got: Reply): string[] {
  const w: ExpectedReply = typeof want === 'number' ? { code: want } : want;
  const wrong = (w.code !== undefined && w.code !== got.code) || (w.status !== undefined && w.status !== got.status) || (w.text !== undefined && w.text !== got.text);
  if (!wrong) return [];
  const expected = [w.code, w.status, w.text !== undefined ? `"${w.text}"` : undefined].filter((x) => x !== undefined).join(' ');
  return [`${what}: expected ${expected}, got ${replyText(got)}`];
}

function compareEffects(want: ExpectedEffect[] | undefined, got: readonly Effect[]): string[] {
  if (want === undefined) {
    const changing = got.filter(changesMessage);
    if (changing.length === 0) return [];
    // RuleTester's rule: a case whose decision rewrites the input must say what the rewrite is.
    return [`effects: the decision changes the message but the case does not state it; add under expect.effects:\n${list(got)}`];
  }
  const failures: string[] = [];
  const n = Math.max(want.length, got.length);
  for (let i = 0; i < n; i++) {
    const w = want[i];
    const g = got[i];
    if (w === undefined) failures.push(`effects[${i}]: not expected, got ${JSON.stringify(g)}`);
    else if (g === undefined) failures.push(`effects[${i}]: expected ${JSON.stringify(w)}, got nothing`);
    else {
      const diff = partialDiff(w, g, `effects[${i}]`);
      if (diff) failures.push(`${diff} (got ${JSON.stringify(g)})`);
    }
  }
  if (failures.length > 0) failures.push(`effects the decision produced, in order:\n${list(got)}`);
  return failures;
}

/** Where `want` (objects compared by the keys it names; lists in full) differs from `got`. */
export function partialDiff(want: unknown, got: unknown, at: string): string | undefined {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${at}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    for (let i = 0; i < want.length; i++) {
      const d = partialDiff(want[i], got[i], `${at}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (want !== null && typeof want === 'object') {
    if (got === null || typeof got !== 'object') return `${at}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
    for (const [key, value] of Object.entries(want)) {
      const d = partialDiff(value, (got as Record<string, unknown>)[key], `${at}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return want === got ? undefined : `${at}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
}

function list(effects: readonly Effect[]): string {
  if (effects.length === 0) return '      (none)';
  return effects.map((e) => `      - ${JSON.stringify(e)}`).join('\n');
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function decidedBy(got: SessionOutcome): string {
  return got.rule ? `rule ${got.rule}` : 'stage default';
}

/** "550 5.7.1 Relaying denied". */
export function replyText(r: Reply): string {
  return `${r.code} ${r.status} ${r.text}`;
}
