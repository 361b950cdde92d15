/**
 * FireWall-1 style rewrite targets: `&` is the text of the first wildcard, `&1`..`&9` the
 * numbered wildcards, `\&` a literal ampersand. `to: "&@weirdal.com"` with `match:
 * "*@smtp.weirdal.com"` turns `al@smtp.weirdal.com` into `al@weirdal.com`.
 */

type Piece = string | number;

export interface RewriteTemplate {
  readonly source: string;
  /** Highest wildcard number referenced (0 when none). */
  readonly highest: number;
  fill(captures: readonly string[]): string;
}

/** Parses a rewrite target once. */
export function compileRewriteTemplate(source: string): RewriteTemplate {
  const pieces: Piece[] = [];
  let text = '';
  let highest = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && source[i + 1] === '&') {
      text += '&';
      i++;
    } else if (c === '&') {
      const d = source[i + 1];
      const numbered = d !== undefined && d >= '1' && d <= '9';
      const n = numbered ? Number(d) : 1;
      if (numbered) i++;
      if (text) pieces.push(text);
      text = '';
      pieces.push(n);
      highest = Math.max(highest, n);
    } else {
      text += c;
    }
  }
  if (text) pieces.push(text);
  return {
    source,
    highest,
    fill: (captures) => pieces.map((p) => (typeof p === 'number' ? captures[p - 1] ?? '' : p)).join(''),
  };
}
