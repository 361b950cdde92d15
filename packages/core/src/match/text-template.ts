/**
 * `{field}` templates of `log`, `headers.add` and notices. Fields are checked at load time;
 * unknown ones are errors rather than literal text in someone's mail.
 */

export const TEMPLATE_FIELDS = [
  'rule', 'sender', 'recipient', 'client', 'helo', 'spam.score', 'spam.symbols', 'spam.level', 'spam.threshold', 'spam.status',
  'virus', 'type', 'filename', 'size',
] as const;

export type TemplateField = (typeof TEMPLATE_FIELDS)[number];

/** The fields that describe one part; a template using them is filled once per matching part. */
export const PART_FIELDS: readonly TemplateField[] = ['type', 'filename', 'size'];

export interface TextTemplate {
  readonly source: string;
  readonly fields: readonly TemplateField[];
  fill(values: Partial<Record<TemplateField, string>>): string;
}

/**
 * A value from the message or the envelope (a file name, a sender) made safe to put in text:
 * line breaks and other controls become spaces, so a crafted name cannot end a notice and
 * start a MIME part or a header of its own; bidirectional overrides are shown, not obeyed.
 */
export function inert(value: string): string {
  return value
    .replace(/[\x00-\x1f\x7f\u0085\u2028\u2029]/g, ' ')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Parses a template; returns the unknown field names instead when there are any. */
export function compileTextTemplate(source: string): TextTemplate | { unknown: string[] } {
  const pieces: (string | { field: TemplateField })[] = [];
  const unknown: string[] = [];
  const fields = new Set<TemplateField>();
  let last = 0;
  for (const m of source.matchAll(/\{([a-zA-Z.]+)\}/g)) {
    const name = m[1]!;
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name)) {
      unknown.push(name);
      continue;
    }
    pieces.push(source.slice(last, m.index));
    pieces.push({ field: name as TemplateField });
    fields.add(name as TemplateField);
    last = m.index! + m[0].length;
  }
  pieces.push(source.slice(last));
  if (unknown.length > 0) return { unknown };
  return {
    source,
    fields: [...fields],
    fill: (values) => pieces.map((p) => (typeof p === 'string' ? p : inert(values[p.field] ?? ''))).join(''),
  };
}
