import { isIP } from 'node:net';
import { isDomainName } from './domain-name';

/** `file:line:col` of a path in gateway.yaml. */
type Where = (path: (string | number)[]) => string;

// RFC 5322 dot-atom: what a postmaster's local part is written as, without quoting.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** A domain name, or an address literal ([192.0.2.1], [IPv6:2001:db8::1]) as EHLO may give. */
function isHostnameOrLiteral(text: string): boolean {
  const literal = /^\[(?:IPv6:(.+)|([^\]]+))\]$/.exec(text);
  if (literal) return literal[1] !== undefined ? isIP(literal[1]) === 6 : isIP(literal[2]!) === 4;
  return isDomainName(text);
}

/**
 * `hostname` and `postmaster`, which go into the banner, EHLO, Received lines and bounce
 * headers as they are written: a CR or LF in either would put lines of its own there.
 */
export function identityProblems(raw: { hostname?: unknown; postmaster?: unknown }, at: Where): string[] {
  const problems: string[] = [];
  if (typeof raw.hostname === 'string' && !isHostnameOrLiteral(raw.hostname)) {
    problems.push(`${at(['hostname'])}: /hostname: ${JSON.stringify(raw.hostname)} is not a host name: write this gateway's name as DNS knows it, e.g. mx1.acme.example (or an address literal such as [192.0.2.1])`);
  }
  if (typeof raw.postmaster === 'string') {
    const at_ = raw.postmaster.lastIndexOf('@');
    const ok = at_ > 0 && LOCAL_PART.test(raw.postmaster.slice(0, at_)) && isHostnameOrLiteral(raw.postmaster.slice(at_ + 1));
    if (!ok) problems.push(`${at(['postmaster'])}: /postmaster: ${JSON.stringify(raw.postmaster)} is not a mail address: write one such as postmaster@acme.example (no name, angle brackets or spaces)`);
  }
  return problems;
}
