import type { Stage } from '../engine/stage';
import { closest } from './ajv-problems';
import type { Reporter } from './compile-scope';
import type { CompiledStage } from './compiled-policy';
import type { RawPolicy } from './raw-policy';

/**
 * Warnings that do not stop a policy from loading but usually mean a mistake: rules that can
 * never run, lists nobody uses or that are empty, a hidden keyword that is no keyword. (Backtracking-prone `re:` patterns are flagged where compiled.)
 */
export function lintPolicy(raw: RawPolicy, stages: Record<Stage, CompiledStage>, usedLists: Set<string>, reporter: Reporter): void {
  for (const compiled of Object.values(stages)) {
    const rules = compiled.rules;
    const stop = rules.findIndex((r) => r.when === undefined && r.actions.some((a) => a.kind === 'terminal'));
    if (stop < 0) continue;
    const rawRules = raw[compiled.stage]?.rules ?? [];
    for (let i = stop + 1; i < rules.length; i++) {
      // The raw rule that is this one: the same id may be written twice (an error of its own).
      const id = rules[i]!.id;
      const nth = rules.slice(0, i).filter((r) => r.id === id).length;
      const index = rawRules.map((r, j) => (r.id === id ? j : -1)).filter((j) => j >= 0)[nth] ?? -1;
      reporter.warning(
        [compiled.stage, 'rules', index, 'id'],
        `this rule can never run: rule \`${rules[stop]!.id}\` before it has no \`when\` and ends the stage; move it up or give \`${rules[stop]!.id}\` a condition`,
        rules[i]!.id,
      );
    }
  }
  for (const [name, items] of Object.entries(raw.lists ?? {})) {
    if (!usedLists.has(name)) reporter.warning(['lists', name], `list \`${name}\` is not used; refer to it as "@${name}" or remove it`);
    else if (Array.isArray(items) && items.length === 0) reporter.warning(['lists', name], `list \`${name}\` is empty, so "@${name}" matches nothing; fill it in, or remove the conditions that use it`);
  }
  lintHiddenKeywords(raw.smtp?.hideKeywords ?? [], reporter);
  lintUnwatchedStructure(raw, reporter);
  lintRuleShapes(raw, Object.keys(stages) as Stage[], reporter);
}

/** A `when: {}` (a condition left unfinished) and a sender rewritten to the null sender. */
function lintRuleShapes(raw: RawPolicy, stageNames: readonly Stage[], reporter: Reporter): void {
  for (const stage of stageNames) {
    (raw[stage]?.rules ?? []).forEach((r, i) => {
      const when = (r as { when?: unknown }).when;
      if (when !== null && typeof when === 'object' && !Array.isArray(when) && Object.keys(when).length === 0) {
        reporter.warning([stage, 'rules', i, 'when'], '`when: {}` has no condition, so the rule always applies; leave `when` out to say so, or add a condition', r.id);
      }
      (r.do ?? []).forEach((a: unknown, j) => {
        const sender = (a as { rewrite?: { sender?: { to?: unknown } } } | null)?.rewrite?.sender;
        if (sender?.to === '') {
          reporter.warning([stage, 'rules', i, 'do', j, 'rewrite', 'sender', 'to'], 'an empty `to` makes the sender the null sender <>: no bounce can reach a null sender; give an address, or write this only if that is meant', r.id);
        }
      });
    });
  }
}

/** EHLO keywords (IANA's SMTP service extensions and common vendor ones, such as Sendmail's ONEX and XUSR). */
const KNOWN_KEYWORDS = [
  '8BITMIME', 'ATRN', 'AUTH', 'BINARYMIME', 'BURL', 'CHECKPOINT', 'CHUNKING', 'CONNEG', 'CONPERM', 'DELIVERBY', 'DSN',
  'ENHANCEDSTATUSCODES', 'ETRN', 'EXPN', 'FUTURERELEASE', 'HELP', 'LIMITS', 'MT-PRIORITY', 'MTRK', 'NO-SOLICITING', 'ONEX',
  'PIPELINING', 'REQUIRETLS', 'RRVS', 'SAML', 'SEND', 'SIZE', 'SMTPUTF8', 'SOML', 'STARTTLS', 'SUBMITTER', 'TURN', 'UTF8SMTP',
  'VERB', 'VRFY', 'X-EXPS', 'X-LINK2STATE', 'XCLIENT', 'XEXCH50', 'XFORWARD', 'XUSR',
];

/** A hidden keyword that is a near miss of a real one (`DNS` for DSN) hides nothing, and the real one stays offered. */
function lintHiddenKeywords(keywords: readonly string[], reporter: Reporter): void {
  keywords.forEach((keyword, i) => {
    const upper = keyword.toUpperCase();
    if (KNOWN_KEYWORDS.includes(upper)) return;
    const meant = closest(upper, KNOWN_KEYWORDS);
    if (meant !== undefined && !keywords.some((k) => k.toUpperCase() === meant)) {
      reporter.warning(['smtp', 'hideKeywords', i], `\`${keyword}\` is not an ESMTP keyword, so hiding it hides nothing; did you mean \`${meant}\`?`);
    }
  });
}

/** Whether a `when` (with its any/all/not) has a condition named `key` anywhere in it. */
function mentions(when: unknown, key: string): boolean {
  if (Array.isArray(when)) return when.some((w) => mentions(w, key));
  if (when === null || typeof when !== 'object') return false;
  return Object.entries(when).some(([k, v]) => k === key || mentions(v, key));
}

/**
 * Attachments filtered with no eye on the structure: MIME that readers take apart differently
 * (two boundaries, a Content-Type written twice) can show the reader a part the rules never saw.
 */
function lintUnwatchedStructure(raw: RawPolicy, reporter: Reporter): void {
  const rules = raw.data?.rules ?? [];
  if (rules.some((r) => mentions((r as { when?: unknown }).when, 'malformed'))) return;
  const at = rules.findIndex((r) => mentions((r as { when?: unknown }).when, 'part') && (r.do ?? []).some((a: unknown) => a === 'strip' || a === 'drop-part' || (typeof a === 'object' && a !== null && ('strip' in a || 'drop-part' in a))));
  if (at < 0) return;
  reporter.warning(
    ['data', 'rules', at, 'id'],
    'no rule looks at `malformed`: MIME that mail readers take apart differently (two boundaries, a Content-Type written twice, an encoding that does not decode) can show a reader a part these rules never saw; add a last rule such as `when: { malformed: true }` with `quarantine` or `reject`',
    rules[at]!.id,
  );
}
