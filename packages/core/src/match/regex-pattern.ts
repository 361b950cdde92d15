/**
 * `re:` patterns: a JavaScript regular expression, searched (not anchored: write ^ and $), either
 * `re:body` (case-insensitive where the field is) or `re:/body/flags`.
 */

/** Compiles the text after `re:`; throws SyntaxError with the engine's message when invalid. */
export function compileRegexPattern(body: string, nocase: boolean): RegExp {
  const slashed = /^\/(.*)\/([a-z]*)$/s.exec(body);
  if (slashed) return new RegExp(slashed[1]!, slashed[2]!);
  return new RegExp(body, nocase ? 'i' : '');
}

/**
 * True when a regex can backtrack catastrophically: a quantified group that itself holds a
 * quantifier ((a+)+, (.*)*, (\w+\s?)*) or alternatives that overlap under a quantifier ((a|a)*).
 * A heuristic, like safe-regex's star height: it flags, it does not prove.
 */
export function isBacktrackProne(source: string): boolean {
  const stack: { quantified: boolean; alternatives: string[]; start: number }[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') { i++; markQuantified(stack, source[i + 1]); continue; }
    if (c === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      markQuantified(stack, source[i + 1]);
      continue;
    }
    if (c === '(') { stack.push({ quantified: false, alternatives: [], start: i + 1 }); continue; }
    if (c === ')') {
      const group = stack.pop();
      const next = source[i + 1];
      if (group && isQuantifier(next)) {
        if (group.quantified) return true;
        const body = source.slice(group.start, i).replace(/^\?[:=!]|^\?<[^>]*>/, '');
        const alts = body.split('|');
        if (alts.length > 1 && new Set(alts).size < alts.length) return true;
        if (alts.length > 1 && alts.some((a) => /^(\.|\\[wsdWSD])[*+]?$/.test(a))) return true;
      }
      if (group && (group.quantified || isQuantifier(next))) markAll(stack);
      continue;
    }
    markQuantified(stack, source[i + 1]);
  }
  return false;
}

function isQuantifier(c: string | undefined): boolean {
  return c === '*' || c === '+' || c === '{';
}

function markQuantified(stack: { quantified: boolean }[], next: string | undefined): void {
  if (isQuantifier(next) && stack.length > 0) stack[stack.length - 1]!.quantified = true;
}

function markAll(stack: { quantified: boolean }[]): void {
  if (stack.length > 0) stack[stack.length - 1]!.quantified = true;
}
