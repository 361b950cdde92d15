import type { MimeNode } from '@zone-eu/mailsplit';

/**
 * Mark the multiparts a data chunk closes (`open`: multipart -> its closing delimiter line). The
 * delimiter line arrives with the line break before it (RFC 2046: it belongs to the delimiter),
 * and may share a chunk with the epilogue after it. Consecutive data lines come as one chunk
 * named after the first node, so the closing line of an outer multipart can follow an inner
 * one's in the inner's chunk (a multipart as last child): a line may close the chunk's node or
 * any multipart around it.
 */
export function closeMultiparts(node: MimeNode, data: Buffer, open: Map<MimeNode, string>): void {
  for (const line of data.toString('latin1').split(/\r?\n/)) {
    const delimiter = line.trimEnd();
    for (let n: MimeNode | false | undefined = node; n; n = n.parentNode) {
      if (open.get(n) === delimiter) {
        open.delete(n);
        break;
      }
    }
  }
}
