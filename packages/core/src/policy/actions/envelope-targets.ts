import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import type { CompileScope, PolicyPath } from '../compile-scope';

const LABEL = '[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?';
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*\\.?$`, 'i');

/**
 * What is wrong with `text` as an address mail is sent to (`bcc`, quarantine `notify` and
 * `forward`), or undefined when it is one. These take addresses, not patterns: a list written
 * for conditions (`*@acme.example`) would be sent to as it stands.
 */
export function addressProblem(text: string): string | undefined {
  if (/[*?]/.test(text)) return `"${text}" is a pattern, and mail is sent to an address; write one, such as archive@acme.example`;
  const at = text.lastIndexOf('@');
  if (text.trim() === '' || /\s/.test(text) || at <= 0) return `"${text}" is not an address; write the whole address, such as archive@acme.example`;
  const domain = text.slice(at + 1);
  // An internationalized domain (bücher.example) is one, as its A-label is.
  if (!HOSTNAME.test(domainToASCII(domain)) && !/^\[[^\]]+\]$/.test(domain)) return `"${text}" is not an address: "${domain}" is not a domain`;
  return undefined;
}

/** What is wrong with `text` as a `route` hop (host, IP, `host:port`, `[IPv6]:port`), or undefined. */
export function hopProblem(text: string): string | undefined {
  if (isIP(text) === 6) return `"${text}" needs brackets, or its colons read as a port: write [${text}]`;
  if (text.includes('/')) return `"${text}" is a CIDR; route delivers to hosts, so name them (10.0.0.10)`;
  if (/[*?{}]/.test(text)) return `"${text}" is a pattern; route delivers to hosts, so name them`;
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(text);
  const host = m?.[1] ?? text;
  const port = m?.[2];
  const hostOk = host.startsWith('[') ? isIP(host.slice(1, -1)) === 6 : isIP(host) === 4 || HOSTNAME.test(host);
  if (!m || !hostOk) return `"${text}" is not a host; write a host name or IP, optionally with :port (mx.acme.example, 10.0.0.10:2525, [2001:db8::1])`;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return `"${text}" has port ${port}; use 1-65535`;
  return undefined;
}

/** Reports an expanded address or hop that is not one (`problem` says why); true when it is. */
export function checked(item: { text: string; path: PolicyPath }, problem: (text: string) => string | undefined, scope: CompileScope): boolean {
  const found = problem(item.text);
  if (found !== undefined) scope.error(item.path, found);
  return found === undefined;
}
