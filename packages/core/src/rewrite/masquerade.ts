import { mapAddresses } from './address-list';
import { hmacHex } from './hmac';

function isWithin(domain: string, ours: string): boolean {
  const d = domain.toLowerCase();
  const o = ours.toLowerCase();
  return d === o || d.endsWith(`.${o}`);
}

/** `penny@dimension.acme.example` -> `penny@acme.example` for every address in our subdomains. */
export function masqueradeAddresses(value: string, domain: string): string {
  return mapAddresses(value, (address) => {
    const at = address.lastIndexOf('@');
    const host = address.slice(at + 1);
    return isWithin(host, domain) && host.toLowerCase() !== domain.toLowerCase() ? `${address.slice(0, at)}@${domain}` : undefined;
  });
}

const HASHED = /^[0-9a-f]{32}$/;

/**
 * Message ids that name our hosts become `<hash@domain>`: an HMAC of the original id, so the
 * same id always maps to the same value (threads keep working) and no internal name leaks.
 */
export function masqueradeIds(value: string, domain: string, secret: string, all: boolean): string {
  return value.replace(/<([^<>@\s]+)@([^<>\s]+)>/g, (whole, local: string, host: string) => {
    if (!all && !isWithin(host, domain)) return whole;
    // Already ours (a reply passing out again): hashing it twice would point at no message.
    if (host.toLowerCase() === domain.toLowerCase() && HASHED.test(local)) return whole;
    const hash = hmacHex(secret, `${local}@${host}`).slice(0, 32);
    return `<${hash}@${domain}>`;
  });
}
