/**
 * An address field with some mailboxes taken out: each item of the list (split at the commas
 * that separate mailboxes, not those in quotes, comments or <>) that holds `marker` goes, with
 * the separator before it; a group's `name:` and closing `;` stay when a member of it goes.
 */
export function withoutMarked(value: string, marker: string): string {
  const items: string[] = [];
  let start = 0;
  let quoted = false;
  let comment = 0;
  let angle = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\\' && (quoted || comment > 0)) i++;
    else if (quoted) quoted = c !== '"';
    else if (c === '(') comment++;
    else if (c === ')' && comment > 0) comment--;
    else if (comment > 0) continue;
    else if (c === '"') quoted = true;
    else if (c === '<') angle = true;
    else if (c === '>') angle = false;
    else if (!angle && (c === ',' || c === ':' || c === ';')) {
      // A group's name (`name:`) and its end (`;`) are items of their own, kept with their mark.
      items.push(value.slice(start, c === ':' ? i + 1 : i));
      if (c === ';') items.push(';');
      start = i + 1;
    }
  }
  items.push(value.slice(start));
  const kept = items.filter((item) => !item.includes(marker));
  // Pieces joined once at the end: `out +=` with `out.endsWith` flattened the string each time.
  const out: string[] = [];
  let last = '';
  for (const item of kept) {
    if (item.trim() === '') continue;
    const joins = out.length > 0 && !last.endsWith(':') && !item.trimStart().startsWith(';');
    out.push(joins ? `,${item}` : item);
    last = item;
  }
  return out.join('').trim();
}
