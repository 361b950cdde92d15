import { BlockList, isIP, SocketAddress } from 'node:net';
import type { Matcher } from './matcher';
import { textMatcher } from './text';

/** Thrown for an IP pattern that is neither an address, a CIDR nor a glob (with a wildcard) / regex. */
export class IpPatternError extends Error {}

/**
 * A client IP pattern: an address (`10.0.0.10`), a CIDR (`10.0.1.0/24`, `2001:db8::/32`), or a
 * glob / `re:` on the address text. IPv4-mapped IPv6 clients (`::ffff:10.0.0.1`) match IPv4
 * patterns, since dual-stack listeners report IPv4 clients that way.
 */
export function ipMatcher(source: string): Matcher {
  const slash = source.indexOf('/');
  const addr = slash < 0 ? source : source.slice(0, slash);
  const family = isIP(addr);
  if (family === 0 || source.startsWith('re:')) {
    if (slash >= 0 && !source.startsWith('re:')) throw new IpPatternError(`"${source}" is not a CIDR: "${addr}" is not an IP address`);
    // Without a wildcard the glob is the literal text, which no client address can be.
    if (!source.startsWith('re:') && !/[*?[\]{}!]/.test(source)) {
      throw new IpPatternError(`"${source}" is not an IP address; write a whole address (10.0.0.1), a CIDR (10.0.0.0/24) or a glob (10.0.0.*)`);
    }
    return textMatcher(source, true);
  }
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const list = new BlockList();
  if (slash < 0) list.addAddress(addr, type);
  else {
    const bits = Number(source.slice(slash + 1));
    if (!Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
      throw new IpPatternError(`"${source}" has a bad prefix length; use 0-${family === 4 ? 32 : 128}`);
    }
    list.addSubnet(addr, bits, type);
  }
  return { source, test: (v) => checkIp(list, v) };
}

function checkIp(list: BlockList, value: string): boolean {
  const address = socketAddress(value);
  return address !== undefined && list.check(address);
}

// BlockList.check(string) builds a SocketAddress every call, which dominated evaluation; a policy
// tests the same client IP against many patterns, so the parsed form of recent IPs is kept.
const recent = new Map<string, SocketAddress | null>();

function socketAddress(value: string): SocketAddress | undefined {
  let address = recent.get(value);
  if (address === undefined) {
    const ip = normalizeIp(value);
    const family = isIP(ip);
    address = family === 0 ? null : new SocketAddress({ address: ip, family: family === 4 ? 'ipv4' : 'ipv6' });
    if (recent.size >= 256) recent.delete(recent.keys().next().value!);
    recent.set(value, address);
  }
  return address ?? undefined;
}

/** The client address as patterns see it: IPv4-mapped IPv6 turned into plain IPv4. */
export function normalizeIp(value: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  return m ? m[1]! : value;
}
