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
  const parts = splitHostPort(text);
  if (!parts) return false;
  const { host, bracketed, port } = parts;
  if (bracketed ? isIP(host) !== 6 : isIP(host) !== 4 && !isHostName(host)) return false;
  if (port === undefined) return options.portOptional === true;
  return port >= (options.minPort ?? 1) && port <= 65535;
}

/** "host:port" (the host of an IPv6 address in brackets, given without them) taken apart, unchecked. */
export function splitHostPort(text: string): { host: string; bracketed: boolean; port?: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(text);
  if (!m) return undefined;
  const host = { host: m[1] ?? m[2]!, bracketed: m[1] !== undefined };
  return m[3] === undefined ? host : { ...host, port: Number(m[3]) };
}
