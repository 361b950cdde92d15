import type { MimeNode } from '@zone-eu/mailsplit';

const isInside = (node: MimeNode, outer: MimeNode): boolean => {
  for (let n = node.parentNode; n; n = n.parentNode) if (n === outer) return true;
  return false;
};

// The innermost open multipart whose delimiter (`--b`) or closing delimiter (`--b--`) the line is.
function delimiterOwner(line: string, open: Map<MimeNode, string>): MimeNode | undefined {
  let owner: MimeNode | undefined;
  for (const [node, closing] of open) {
    if (line === closing || line === closing.slice(0, -2)) owner = node;
  }
  return owner;
}

/**
 * Close the multiparts a sender left open inside another (`open`: multipart -> its closing
 * delimiter line, in the order they were sent), in a data chunk before it goes out. A delimiter
 * line of an outer multipart ends every multipart inside it (mailsplit and Python read it so),
 * but each inner one's own closing line must come before it: written at the end of the message
 * instead, it stands in the outer epilogue, and a reader (Python's email, Mailward on its own
 * output) still finds the inner one unclosed. `atLineStart`: the bytes sent before `data` end a
 * line. `closing(node)` is what closes one (with an empty part first when all it had was
 * dropped). Returns the data with those lines put in, and the multiparts closed, innermost first.
 */
export function closeLeftOpen(
  data: Buffer,
  open: Map<MimeNode, string>,
  atLineStart: boolean,
  closing: (node: MimeNode) => string,
): { data: Buffer; closed: MimeNode[] } {
  const text = data.toString('latin1');
  const closed: MimeNode[] = [];
  let out = '';
  let from = 0;
  for (let at = 0; at < text.length;) {
    const next = text.indexOf('\n', at);
    const lineEnd = next < 0 ? text.length : next + 1;
    const line = text.slice(at, lineEnd).replace(/[\r\n \t]+$/, '');
    const owner = line.startsWith('--') ? delimiterOwner(line, open) : undefined;
    const inner = owner ? [...open.keys()].filter((n) => isInside(n, owner)).reverse() : [];
    if (inner.length > 0) {
      const breakFirst = at > 0 || atLineStart ? '' : '\r\n';
      out += text.slice(from, at) + breakFirst + inner.map((n) => `${closing(n)}\r\n`).join('');
      from = at;
      for (const n of inner) open.delete(n);
      closed.push(...inner);
    }
    // A multipart's own closing line closes it: an outer delimiter later in the chunk (an inner
    // multipart as the last part, `--i--` then `--o--`) finds nothing left open inside.
    if (owner && line === open.get(owner)) open.delete(owner);
    at = lineEnd;
  }
  return closed.length === 0 ? { data, closed } : { data: Buffer.from(out + text.slice(from), 'latin1'), closed };
}
