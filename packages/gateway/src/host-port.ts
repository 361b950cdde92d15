import { isIP } from 'node:net';

const NAME = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

/** A host name (letters, digits, hyphens; labels of 1-63), without a wildcard. */
export function isHostName(text: string): boolean {
  return NAME.test(text);
}

/**
 * "host:port" as gateway.yaml writes an address: an IPv4 address or a host name, or an IPv6
 * address in brackets, then the port (`portOptional`: it may be left out). Ports from `minPort`
 * (0 for a listener: any free port) to 65535.
 */
export function isHostPort(text: string, options: { portOptional?: boolean; minPort?: number } = {}): boolean {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (!m) return false;
  const host = m[1] ?? m[2]!;
  if (m[1] !== undefined ? isIP(host) !== 6 : isIP(host) !== 4 && !isHostName(host)) return false;
  if (m[3] === undefined) return options.portOptional === true;
  const port = Number(m[3]);
  return port >= (options.minPort ?? 1) && port <= 65535;
}
