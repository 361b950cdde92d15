import { domainToASCII } from 'node:url';

// What each label may be once an IDN is in its ASCII (punycode) form: RFC 1035's letters,
// digits and hyphens, 1 to 63 of them, no hyphen at either end.
const ASCII_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * A plain domain name: labels of letters (an IDN's too), digits and hyphens joined by dots. No
 * wildcard, `re:`, `@list`, space or trailing dot: where a domain becomes a policy pattern
 * (`domain:`, `--domain`), any of those would widen it, `*` to every domain (an open relay).
 */
export function isDomainName(text: string): boolean {
  if (!/^[\p{L}\p{M}\p{N}-]+(?:\.[\p{L}\p{M}\p{N}-]+)*$/u.test(text)) return false;
  return ASCII_NAME.test(domainToASCII(text));
}

/** Why `domain` cannot be our-domains, or undefined when it can. */
export function domainProblem(domain: string): string | undefined {
  if (isDomainName(domain)) return undefined;
  return `"${domain}" is not a domain name: write one plain domain such as acme.example (its subdomains are included; no wildcards, re:, @lists or spaces: to accept several domains, edit the policy's list our-domains instead)`;
}
