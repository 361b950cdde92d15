import { BlockList, isIP } from 'node:net';
import type { GreylistState, GreylistTriplet } from '@mailward/core';
import type { GreylistEntry, GreylistStore } from './store';

export interface GreylistOptions {
  /** Seconds a new triplet must wait before a retry is accepted: 30..3600. Default 300. */
  delay?: number;
  /** Seconds after the first try within which a retry still counts. Default 14400 (4 h). */
  retryWindow?: number;
  /** Seconds a passed triplet, and its client network, stay passed after they last sent. Default 36 days. */
  passLifetime?: number;
  /** Clients (IPs or CIDRs) never greylisted. */
  clientWhitelist?: string[];
  /** Recipient addresses or domains (lower case, "@domain" for a whole domain) never greylisted. */
  recipientWhitelist?: string[];
  now?: () => number;
}

/** The client's network: /24 for IPv4, /64 for IPv6 (senders retry from pools). */
export function clientNetwork(ip: string): string {
  if (isIP(ip) === 4) return ip.split('.').slice(0, 3).join('.') + '.0/24';
  if (isIP(ip) === 6) return `${compressed([...ipv6Groups(ip).slice(0, 4), 0, 0, 0, 0])}/64`;
  return ip;
}

/** The eight groups of an IPv6 address, "::" and a dotted IPv4 tail spelt out. */
function ipv6Groups(ip: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  const hex = dotted ? ip.slice(0, dotted.index) + [0, 2].map((i) => ((Number(dotted[i + 1]) << 8) | Number(dotted[i + 2])).toString(16)).join(':') : ip;
  const [head = '', tail] = hex.split('::');
  const parse = (s: string): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  return [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t];
}

/** RFC 5952 text: lower-case groups, the longest run of two or more zero groups as "::". */
function compressed(groups: number[]): string {
  let best = { at: -1, length: 1 };
  for (let i = 0; i < groups.length; i++) {
    let n = 0;
    while (groups[i + n] === 0) n++;
    if (n > best.length) best = { at: i, length: n };
  }
  const text = groups.map((g) => g.toString(16));
  if (best.at < 0) return text.join(':');
  return `${text.slice(0, best.at).join(':')}::${text.slice(best.at + best.length).join(':')}`;
}

/** Greylisting (RFC 6647): first try of a triplet is deferred, a retry after the delay passes. */
export class Greylist {
  private readonly delay: number;
  private readonly window: number;
  private readonly lifetime: number;
  private readonly clients = new BlockList();
  private readonly recipients: Set<string>;
  private readonly now: () => number;

  constructor(private readonly store: GreylistStore, options: GreylistOptions = {}) {
    this.delay = options.delay ?? 300;
    if (this.delay < 30 || this.delay > 3600) throw new Error(`greylist delay ${this.delay} s: choose 30..3600 seconds`);
    this.window = options.retryWindow ?? 4 * 3600;
    this.lifetime = options.passLifetime ?? 36 * 86400;
    for (const c of options.clientWhitelist ?? []) {
      const [net, bits] = c.split('/');
      const type = isIP(net ?? '') === 6 ? 'ipv6' : 'ipv4';
      if (bits) this.clients.addSubnet(net!, Number(bits), type);
      else this.clients.addAddress(net!, type);
    }
    this.recipients = new Set((options.recipientWhitelist ?? []).map((r) => r.toLowerCase()));
    this.now = options.now ?? Date.now;
  }

  /** Decide a triplet, recording the try. */
  async check(t: GreylistTriplet): Promise<GreylistState> {
    const type = isIP(t.client) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(t.client) && this.clients.check(t.client, type)) return 'pass';
    const rcpt = t.recipient.toLowerCase();
    if (this.recipients.has(rcpt) || this.recipients.has('@' + (rcpt.split('@')[1] ?? ''))) return 'pass';
    const net = clientNetwork(t.client);
    const now = this.now();
    const awl = await this.store.get(`awl|${net}`);
    if (awl?.passed) return this.keep(`awl|${net}`, awl, now);
    const key = `${net}|${t.sender.toLowerCase()}|${rcpt}`;
    const entry = await this.store.get(key);
    if (entry?.passed) return this.keep(key, entry, now);
    if (!entry) {
      if (await this.store.create(key, { first: now }, this.delay + this.window)) return 'pending';
      return this.check(t); // another gateway saw it first: decide by its entry
    }
    if (now - entry.first < this.delay * 1000) return 'pending';
    await this.store.put(key, { first: entry.first, passed: true }, this.lifetime);
    await this.store.put(`awl|${net}`, { first: now, passed: true }, this.lifetime);
    return 'pass';
  }

  /**
   * A pass from a passed entry: its lifetime counts again from now (RFC 6647 4.2: expire after
   * inactivity), so a regular correspondent is not greylisted anew every passLifetime. Written
   * at most every tenth of the lifetime (an hour at most), not at every recipient.
   */
  private async keep(key: string, entry: GreylistEntry, now: number): Promise<'pass'> {
    const every = Math.min(this.lifetime / 10, 3600) * 1000;
    // Best effort: a store that cannot write now (Redis read-only or slow) must not turn a known
    // pass into a failed lookup (451); the next pass writes it again.
    if (now - (entry.seen ?? entry.first) >= every) await this.store.put(key, { ...entry, seen: now }, this.lifetime).catch(() => undefined);
    return 'pass';
  }
}
