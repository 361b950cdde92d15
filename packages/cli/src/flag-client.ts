import { isIP } from 'node:net';
import type { Client } from '@mailward/core';
import { DEFAULT_CLIENT } from '@mailward/core/testing';
import { UsageError } from './usage-error';

/**
 * The connecting client `eval` and `replay` run a message as, the same as a test case's: with
 * no flag, `mailward test`'s default (192.0.2.10, mail.example.net); an IP given alone has no
 * host name, as a case's `client: IP` has none. `ipFlag` is the flag's name, for the message.
 */
export function clientFromFlags(ipFlag: string, ip: string | undefined, hostname: string | undefined): Client {
  if (ip !== undefined && !isIP(ip)) throw new UsageError(`${ipFlag} ${ip} is not an IP address (give 192.0.2.10 or 2001:db8::1)`);
  const client: Client = ip === undefined ? { ...DEFAULT_CLIENT } : { ip, tls: false, authenticated: false };
  if (hostname !== undefined) client.hostname = hostname;
  return client;
}

/** The HELO name when none is given: the client's host name, as in a test case. */
export function defaultHelo(client: Client): string {
  return client.hostname || 'mail.example.net';
}
