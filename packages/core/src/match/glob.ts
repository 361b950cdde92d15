/**
 * Whole-value wildcard patterns for addresses, domains, header names and values, MIME types and
 * file names. Deliberately NOT micromatch's path semantics (field notes): `*` matches `/` and a
 * leading dot, so `a/b@spam.example` is caught by `*@spam.example` and `docs/update.exe` by
 * `*.exe`. Syntax otherwise follows micromatch: `*`, `?`, `{a,b}`, `[a-z]`, `[!a-z]`, `\x`.
 * `*` and `?` are the wildcards `&1`..`&9` refer to, numbered left to right.
 */

export interface Glob {
  /** The pattern as written. */
  readonly source: string;
  /** Number of `*` and `?` wildcards (capture groups). */
  readonly wildcards: number;
  test(value: string): boolean;
  /** The text each wildcard matched, or undefined when the value does not match. */
  capture(value: string): string[] | undefined;
}

/** Thrown for a pattern that cannot be compiled (unbalanced brace or class). */
export class GlobSyntaxError extends Error {}

/** Compiles a wildcard pattern once; literal patterns compare as strings without a RegExp. */
export function compileGlob(source: string, options: { nocase: boolean }): Glob {
  const parsed = translate(source);
  if (parsed.wildcards === 0 && !parsed.special) {
    const literal = options.nocase ? source.toLowerCase() : source;
    const unescaped = literal.replace(/\\(.)/g, '$1');
    const eq = (v: string): boolean => (options.nocase ? v.toLowerCase() : v) === unescaped;
    return { source, wildcards: 0, test: eq, capture: (v) => (eq(v) ? [] : undefined) };
  }
  const regex = new RegExp(`^${parsed.body}$`, options.nocase ? 'is' : 's');
  return {
    source,
    wildcards: parsed.wildcards,
    test: (v) => regex.test(v),
    capture: (v) => {
      const m = regex.exec(v);
      return m ? m.slice(1).map((g) => g ?? '') : undefined;
    },
  };
}

interface Translation {
  body: string;
  wildcards: number;
  /** True when the pattern has braces or classes (so it is not a plain literal). */
  special: boolean;
}

function translate(source: string): Translation {
  let body = '';
  let wildcards = 0;
  let special = false;
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      body += escapeChar(source[++i]!);
    } else if (c === '*') {
      // Consecutive stars are one wildcard (micromatch's globstar means nothing here).
      while (source[i + 1] === '*') i++;
      body += '(.*?)';
      wildcards++;
    } else if (c === '?') {
      body += '(.)';
      wildcards++;
    } else if (c === '[') {
      const end = classEnd(source, i);
      if (end < 0) throw new GlobSyntaxError(`unclosed "[" in pattern "${source}"; close the character class with "]", or write \\[ for a literal "["`);
      let inner = source.slice(i + 1, end);
      if (inner.startsWith('!')) inner = `^${inner.slice(1)}`;
      body += `[${inner.replace(/\\(?![\]\\^-])/g, '\\\\')}]`;
      special = true;
      i = end;
    } else if (c === '{') {
      body += '(?:';
      depth++;
      special = true;
    } else if (c === ',' && depth > 0) {
      body += '|';
    } else if (c === '}' && depth > 0) {
      body += ')';
      depth--;
    } else {
      body += escapeChar(c);
    }
  }
  if (depth > 0) throw new GlobSyntaxError(`unclosed "{" in pattern "${source}"; close the alternatives with "}", or write \\{ for a literal "{"`);
  return { body, wildcards, special };
}

function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '!' || source[i] === '^') i++;
  if (source[i] === ']') i++;
  for (; i < source.length; i++) {
    if (source[i] === '\\') i++;
    else if (source[i] === ']') return i;
  }
  return -1;
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
