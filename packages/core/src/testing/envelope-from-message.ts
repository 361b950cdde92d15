import type { HeaderField } from '../message/model';

/**
 * The envelope a message implies when none is given: the sender from `From` (or `Sender`), the
 * recipients from `To` and `Cc` (used by `mailward eval` and by cases without an envelope).
 */
export function envelopeFromHeaders(headers: readonly HeaderField[]): { from: string; to: string[] } {
  const values = (name: string): string[] =>
    headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.decoded || h.value);
  const from = [...values('from'), ...values('sender')].flatMap(addressesIn)[0] ?? '';
  const to = [...values('to'), ...values('cc')].flatMap(addressesIn);
  return { from, to: [...new Set(to)] };
}

/** The bare addresses in an address-list header value ("Al <al@x.example>, b@y.example"). */
export function addressesIn(value: string): string[] {
  // Quoted display names and comments can hold '@' and commas; drop them before looking.
  const cleaned = value.replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
  const found: string[] = [];
  // A bare address is tried only where a word starts: tried inside one, a long word took
  // time quadratic in its length.
  for (const m of cleaned.matchAll(/<([^<>\s]*)>|(?<![^\s<>,;:"])([^\s<>,;:"]+@[^\s<>,;:"]+)/g)) {
    const address = (m[1] ?? m[2] ?? '').trim();
    if (address.includes('@')) found.push(address);
  }
  return found;
}
