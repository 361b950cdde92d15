import { isIPv6 } from 'node:net';
import type { MxLookup } from './mx-hops';
import { canonicalIp } from './own-address';

/** RFC 5321 4.1.3's IPv4-address-literal: four Snum of up to three digits, each at most 255. */
function ipv4Of(text: string): string | undefined {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  return parts?.every((n) => n <= 255) ? parts.join('.') : undefined;
}

/** The address in an address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`), or what is wrong with it. */
function addressOf(literal: string): { ip: string } | { problem: string } {
  const inner = literal.endsWith(']') ? literal.slice(1, -1) : undefined;
  if (inner === undefined) return { problem: 'no closing "]"' };
  const v6 = /^ipv6:(.*)$/i.exec(inner);
  // A zone (fe80::1%eth0) names one of our interfaces, not a place on the Internet.
  if (v6) {
    const ip = v6[1]!.toLowerCase();
    if (!isIPv6(ip) || ip.includes('%')) return { problem: `"${v6[1]}" is not an IPv6 address` };
    // An IPv4-mapped address (in any spelling) reaches the IPv4 one: the loop check must see that one.
    return { ip: canonicalIp(ip) };
  }
  const v4 = ipv4Of(inner);
  if (v4) return { ip: v4 };
  const tag = /^([A-Za-z0-9-]*[A-Za-z0-9]):/.exec(inner)?.[1];
  if (tag) return { problem: `"${tag}" is not an address type we can deliver to (only IPv4 and IPv6)` };
  return { problem: `"${inner}" is not an IPv4 address, and an IPv6 one is written [IPv6:...]` };
}

/**
 * Where mail for an address-literal domain goes: to that address, with no DNS (RFC 5321 5.1).
 * A literal that is one of our own listeners would loop, and an invalid one cannot be delivered
 * anywhere: both are permanent, with the reason.
 */
export function literalHops(literal: string, port: number, isOurs: (ip: string, port: number) => boolean): MxLookup {
  const found = addressOf(literal);
  if ('problem' in found) return { failure: { outcome: 'permanent', status: '5.1.3', detail: `${literal}: not a valid address literal: ${found.problem} (RFC 5321 4.1.3)` } };
  if (isOurs(found.ip, port)) return { failure: { outcome: 'permanent', status: '5.4.6', detail: `${literal}: the address is this gateway (mail would loop back to itself)` } };
  return { hops: [{ host: found.ip, port }] };
}
