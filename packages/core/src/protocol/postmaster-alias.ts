/**
 * RFC 5321 4.5.1: a server must take mail for `RCPT TO:<Postmaster>`, the one address allowed
 * without a domain. It stands for the site's postmaster mailbox, so the rcpt stage decides on
 * that address and the mail is kept for it.
 */
export function recipientMeant(address: string, postmaster: string | undefined): string {
  return postmaster !== undefined && address.toLowerCase() === 'postmaster' ? postmaster : address;
}
