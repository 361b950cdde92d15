import type { Headers } from '@zone-eu/mailsplit';

/** A field of a header block: its name as written and its unfolded value. */
export interface Field {
  key: string;
  name: string;
  value: string;
}

/** The fields of a header block in order. */
export function fieldsOf(headers: Headers): Field[] {
  return headers.getList().map((h) => {
    const colon = h.line.indexOf(':');
    return {
      key: h.key,
      name: colon > 0 ? h.line.slice(0, colon) : h.line,
      value: colon > 0 ? h.line.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '').replace(/^[ \t]+/, '') : '',
    };
  });
}

/** Replace the fields of a header block with `fields` (same order), folding long values. */
export function setFields(headers: Headers, fields: Field[]): void {
  for (const key of new Set(headers.getList().map((h) => h.key))) headers.remove(key);
  fields.forEach((f, i) => headers.add(f.name, f.value, i));
}
