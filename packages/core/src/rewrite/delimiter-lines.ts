import type { MimeNode } from '@zone-eu/mailsplit';

/**
 * True when a line of `body` is a delimiter of a multipart around `node` (RFC 2046 5.1.1, with
 * the white space after it that readers allow). A body the rewriter made itself (HTML with
 * elements cut out, an attached message rewritten inside) must hold none: written into the
 * part, it would end it there, and what follows would be a part nobody analyzed.
 */
export function opensPart(body: Buffer, node: MimeNode): boolean {
  const delimiters = new Set<string>();
  for (let n = node.parentNode; n; n = n.parentNode) {
    if (n._boundary) delimiters.add(`--${n._boundary.toString('latin1')}`).add(`--${n._boundary.toString('latin1')}--`);
  }
  if (delimiters.size === 0) return false;
  for (const line of body.toString('latin1').split('\n')) if (line.startsWith('--') && delimiters.has(line.replace(/[\r \t]+$/, ''))) return true;
  return false;
}
