/** Where one attribute of a start tag is written: its name as written and its source range. */
interface AttributeSource {
  name: string;
  start: number;
  end: number;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

/**
 * Every attribute written in the start tag `html.slice(start, end)` (from `<` to `>`), duplicates
 * included, each from the first character of its name to the last of its value (closing quote
 * included). It follows the tokenizer states of the HTML standard from the tag name to `>`.
 * parse5 keeps no place for a duplicate and ends an attribute glued to the next one
 * (`a="1"b=2`) at its name, so cutting by its ranges would leave the value as a new attribute.
 */
function attributesOf(html: string, start: number, end: number): AttributeSource[] {
  const attrs: AttributeSource[] = [];
  let i = start + 1;
  while (i < end && !isSpace(html[i]!) && html[i] !== '/' && html[i] !== '>') i++; // the tag name
  while (i < end) {
    const c = html[i]!;
    if (isSpace(c) || c === '/') {
      i++;
      continue;
    }
    if (c === '>') break;
    // A name: its first character may be `=`; it ends at a space, `/`, `>` or `=`.
    const from = i++;
    while (i < end && !isSpace(html[i]!) && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') i++;
    const name = html.slice(from, i);
    let to = i;
    let j = i;
    while (j < end && isSpace(html[j]!)) j++;
    if (html[j] === '=') {
      j++;
      while (j < end && isSpace(html[j]!)) j++;
      const q = html[j];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, j + 1);
        j = close < 0 || close >= end ? end : close + 1;
      } else {
        while (j < end && !isSpace(html[j]!) && html[j] !== '>') j++;
      }
      to = j;
    }
    attrs.push({ name, start: from, end: to });
    i = to;
  }
  return attrs;
}

/**
 * The start tag `html.slice(start, end)` without the attributes `drop` names, every other
 * character as written (case, quotes, character references), and how many went. The space
 * before a cut attribute goes with it where the next character separates anyway; a `/` left
 * right before `>` keeps a space, or `<svg/onload=x>` would become a self-closing `<svg/>`.
 */
export function withoutAttributes(html: string, start: number, end: number, drop: (name: string) => boolean): { tag: string; removed: number } {
  let tag = '';
  let at = start;
  let removed = 0;
  for (const a of attributesOf(html, start, end)) {
    if (!drop(a.name)) continue;
    removed++;
    const before = html.slice(at, a.start);
    let kept = before.length;
    while (kept > 0 && isSpace(before[kept - 1]!)) kept--;
    const trimmed = before.slice(0, kept);
    const next = html[a.end]!;
    const slashLast = (trimmed || tag).endsWith('/');
    if (isSpace(next)) tag += trimmed;
    else if (next === '>') tag += !slashLast ? trimmed : trimmed === before ? `${before} ` : before;
    else tag += before;
    at = a.end;
  }
  return { tag: tag + html.slice(at, end), removed };
}
