import type { Matcher } from './matcher';
import { textMatcher } from './text';

/**
 * An envelope address pattern (`*@acme.example`, `bad.guy@example.org`, `re:...`), compared
 * case-insensitively. `<>` is the null sender, which arrives as the empty string.
 */
export function addressMatcher(source: string): Matcher {
  if (source === '<>') return { source, test: (v) => v === '' || v === '<>' };
  const text = textMatcher(source, true);
  return { source, test: (v) => v !== '' && text.test(stripBrackets(v)) };
}

/** The domain of an address, lower case, without a trailing dot ('' for the null sender). */
export function domainOf(address: string): string {
  const bare = stripBrackets(address);
  const at = bare.lastIndexOf('@');
  return at < 0 ? '' : stripDot(bare.slice(at + 1).toLowerCase());
}

function stripBrackets(v: string): string {
  return v.startsWith('<') && v.endsWith('>') ? v.slice(1, -1) : v;
}

function stripDot(v: string): string {
  return v.endsWith('.') ? v.slice(0, -1) : v;
}
