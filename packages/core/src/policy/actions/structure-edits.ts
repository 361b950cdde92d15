import { textMatcher } from '../../match/text';
import { isStructureField } from '../../message/structure-fields';

/** Fields that say how to read the body, tried against a pattern to see whether it picks them. */
const STRUCTURE = [
  'MIME-Version', 'Content-Type', 'Content-Transfer-Encoding', 'Content-Disposition', 'Content-ID',
  'Content-Description', 'Content-Language', 'Content-Location', 'Content-Base', 'Content-MD5',
];

/** Fields most messages carry: a pattern that picks one of these is a broad one. */
const OTHERS = [
  'From', 'To', 'Cc', 'Bcc', 'Subject', 'Date', 'Message-ID', 'Reply-To', 'Sender', 'Received',
  'Return-Path', 'References', 'In-Reply-To', 'X-Mailer', 'Comments', 'Keywords', 'DKIM-Signature', 'List-Id',
];

/** What a message cannot do without: a pattern that picks all of them picks every field. */
const ESSENTIAL = ['From', 'To', 'Date', 'Subject', 'Message-ID'];

/**
 * Whether a header-name pattern (already compiled once, so it compiles) names MIME structure
 * fields: a literal one (`Content-Type`, `Content-Class`), or a wildcard or `re:` that picks such
 * fields and none of the usual others (`Content-*`, `re:^content-`). A broad pattern (`*`, `C*`)
 * is not one: the edit leaves the structure fields among the fields it picks alone.
 */
export function namesStructureFields(pattern: string): boolean {
  const m = textMatcher(pattern, true);
  const literal = !pattern.startsWith('re:') && isStructureField(pattern) && m.test(pattern);
  return (literal || STRUCTURE.some((name) => m.test(name))) && !OTHERS.some((name) => m.test(name));
}

/** Whether a header-name pattern picks every field (`*`, `re:.`), From to Message-ID included. */
export function picksEveryField(pattern: string): boolean {
  const m = textMatcher(pattern, true);
  return ESSENTIAL.every((name) => m.test(name));
}

/** Values of every kind a header holds: a rewrite `match` that takes all of them takes any value. */
const ANY_VALUE = ['x@y.example', 'Hello, world', 'Wed, 2 Dec 2026 10:00:00 +0000', '<1.2@host.example>'];

/** Whether a header rewrite (`rewrite` is its compiled match + to) takes every field out. */
export function emptiesEveryField(header: string, to: string, rewrite: (value: string) => string | undefined): boolean {
  return to === '' && picksEveryField(header) && ANY_VALUE.every((v) => rewrite(v) !== undefined);
}

/** Why a `remove` or header `rewrite` may not name the structure fields, and what to do instead. */
export function structureEditProblem(pattern: string, edit: 'remove' | 'rewrite'): string {
  const why = edit === 'remove'
    ? 'without them readers no longer find the parts (one shows the raw boundaries and base64 as text, another still carves out the attachments)'
    : 'a rewritten Content-Type or Content-Transfer-Encoding makes readers decode the body as what it is not';
  return `"${pattern}" names MIME structure fields (MIME-Version, Content-*), which header edits leave as they are: ${why}; to take a part out, strip it (\`strip\`, or \`drop-part\`, in a rule with \`when: { part: {...} }\`), and name only other fields here`;
}

/** Why a `remove` pattern that picks every field is refused, as `keep: []` is. */
export function everyFieldProblem(pattern: string, edit: 'remove' | 'rewrite'): string {
  const does = edit === 'remove' ? `"${pattern}" matches every field, so \`remove\`` : `\`header: "${pattern}"\` with a \`match\` that takes any value and \`to: ""\``;
  return `${does} would remove From, To, Date, Subject and Message-ID from every message (only MIME-Version and Content-* stay); name the fields to remove, or list the ones to keep (\`keep: [From, To, Cc, Subject, Date, Message-ID]\`)`;
}
