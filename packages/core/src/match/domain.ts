import type { Matcher } from './matcher';
import { textMatcher } from './text';

/**
 * A domain pattern: `acme.example` matches that domain, `*.acme.example` its subdomains (not
 * itself); case-insensitive, a trailing dot on the value ignored.
 */
export function domainMatcher(source: string): Matcher {
  const text = textMatcher(source, true);
  return { source, test: (v) => v !== '' && text.test(v.endsWith('.') ? v.slice(0, -1) : v) };
}

/** True for a fully qualified name: at least two labels, each a valid host label. */
export function isFqdn(name: string): boolean {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  const labels = n.split('.');
  return labels.length >= 2 && labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(l)) && !/^\d+$/.test(labels[labels.length - 1]!);
}
