/**
 * Part paths: mailsplit's IMAP-style part numbers joined with ".". The root entity is "0"; the
 * root of an inline attached message inside part N is "N.0", its children "N.1", "N.2"...
 * analyze() and rewrite() both name parts this way, so an effect found by one applies in the other.
 */

interface NumberedNode {
  partNr: ReadonlyArray<number | string> | false;
}

/** The path of a mailsplit node (after its headers were parsed). */
export function partPath(node: NumberedNode): string {
  const nr = node.partNr || [];
  let path = '';
  for (const n of nr) {
    if (typeof n !== 'number' && !/^\d+$/.test(n)) continue;
    path = path === '' ? String(n) : `${path}.${n}`;
  }
  // A trailing TEXT marks the root of a message (the outer one, or one attached inline).
  if (nr.length === 0 || nr[nr.length - 1] === 'TEXT') path = path === '' ? '0' : `${path}.0`;
  return path;
}
