import { scanLines } from './long-lines';

const MAX = 998;

/** A physical header line over 998 octets, broken into lines that are not. */
function foldLine(line: string): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > MAX) {
    // Fold before white space where there is some (the field's value is unchanged); otherwise
    // break with CRLF SP, as Postfix does, which adds one space to the value.
    const colon = out.length === 0 ? rest.indexOf(':') + 1 : 1;
    let at = -1;
    for (let i = MAX; i > colon; i--) {
      if (rest[i] === ' ' || rest[i] === '\t') {
        at = i;
        break;
      }
    }
    if (at > 0) {
      out.push(rest.slice(0, at));
      rest = rest.slice(at);
    } else {
      out.push(rest.slice(0, MAX));
      rest = ` ${rest.slice(MAX)}`;
    }
  }
  out.push(rest);
  return out;
}

/**
 * The header block (CRLF line ends) with every line within 998 octets, and the names of the
 * fields that were folded; undefined when it already is. A header line that long cannot be
 * relayed, so it is folded where it stands.
 */
export function foldLongHeaderLines(block: Buffer): { block: Buffer; names: string[] } | undefined {
  if (!scanLines(block, 0).long) return undefined;
  const names: string[] = [];
  let field = '';
  const out: string[] = [];
  for (const l of block.toString('latin1').split('\r\n')) {
    if (l !== '' && l[0] !== ' ' && l[0] !== '\t') field = l.slice(0, Math.max(0, l.indexOf(':'))) || l.slice(0, 40);
    if (l.length <= MAX) {
      out.push(l);
      continue;
    }
    out.push(...foldLine(l));
    if (!names.includes(field)) names.push(field);
  }
  return { block: Buffer.from(out.join('\r\n'), 'latin1'), names };
}
