import { addrSpecsOf } from '../message/addr-specs';
import type { HeaderField } from '../message/model';

/**
 * The envelope a message implies when none is given: the sender from `From` (or `Sender`), the
 * recipients from `To` and `Cc` (used by `mailward eval` and by cases without an envelope).
 */
export function envelopeFromHeaders(headers: readonly HeaderField[]): { from: string; to: string[] } {
  // The raw value: encoded words stand only in names and comments, and decoded they could
  // bring quotes, commas or an @ the field never had.
  const values = (name: string): string[] => headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value);
  const from = [...values('from'), ...values('sender')].flatMap(addressesIn)[0] ?? '';
  const to = [...values('to'), ...values('cc')].flatMap(addressesIn);
  return { from, to: [...new Set(to)] };
}

/** The bare addresses in an address-list header value ("Al <al@x.example>, b@y.example"). */
export function addressesIn(value: string): string[] {
  return addrSpecsOf(value).addresses;
}
