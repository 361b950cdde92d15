import { compileGlob } from './glob';
import type { Matcher } from './matcher';
import { compileRegexPattern } from './regex-pattern';

/**
 * A whole-value pattern on text: glob, or `re:` regex. `nocase` for names (header names, MIME
 * types, file names, host names); header values are case-sensitive unless the regex says `i`.
 */
export function textMatcher(source: string, nocase: boolean): Matcher {
  if (source.startsWith('re:')) {
    const re = compileRegexPattern(source.slice(3), nocase);
    return { source, test: (v) => re.test(v) };
  }
  const glob = compileGlob(source, { nocase });
  return { source, test: (v) => glob.test(v) };
}
