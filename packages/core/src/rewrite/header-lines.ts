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
 * The header block (CRLF line ends) with every line within 998 octets, or undefined when it
 * already is: a header line that long cannot be relayed, so it is folded where it stands.
 */
export function foldLongHeaderLines(block: Buffer): Buffer | undefined {
  if (!scanLines(block, 0).long) return undefined;
  const lines = block.toString('latin1').split('\r\n');
  return Buffer.from(lines.flatMap((l) => (l.length > MAX ? foldLine(l) : [l])).join('\r\n'), 'latin1');
}
