import type { MimeNode } from '@zone-eu/mailsplit';

/**
 * mailsplit pushes a part whose header block a closing delimiter cuts short (no blank line
 * before `--b--`) and then gives the header lines of it that came in the same input chunk a
 * second time, in front of the delimiter, as the multipart's own text. The rewriter wrote them
 * twice, and analysis took them for part header lines in the epilogue, as the chunks fell.
 * This is `data` (the chunk pushed next after `node`) without that repeat.
 */
export function withoutRepeatedHeader(data: Buffer, node: MimeNode): Buffer {
  const head = node.getHeaders();
  if (head.length === 0 || endsWithBlankLine(head)) return data;
  const delimiters = new Set<string>();
  for (let up = node.parentNode; up; up = up.parentNode) {
    if (up._boundary) delimiters.add(`--${up._boundary.toString('latin1')}`);
  }
  // A header line that matched a delimiter would have ended the block: the first one is the
  // delimiter line, and what stands before it is the repeat (or nothing).
  for (let start = 0; start <= head.length && start < data.length; ) {
    const lf = data.indexOf(0x0a, start);
    const end = lf === -1 ? data.length : lf + 1;
    if (isDelimiter(data.toString('latin1', start, end), delimiters)) {
      const repeat = data.subarray(0, start);
      return start > 0 && repeat.equals(head.subarray(head.length - start)) ? data.subarray(start) : data;
    }
    start = end;
  }
  return data;
}

function endsWithBlankLine(head: Buffer): boolean {
  const text = head.toString('latin1', Math.max(0, head.length - 4));
  return text.endsWith('\n\n') || text.endsWith('\n\r\n') || head.length <= 2 && /^\r?\n$/.test(text);
}

function isDelimiter(line: string, delimiters: Set<string>): boolean {
  const bare = line.replace(/[ \t\r\n]+$/, '');
  return delimiters.has(bare) || (bare.endsWith('--') && delimiters.has(bare.slice(0, -2)));
}
