import type { Client, MessageModel, StageInput } from '@mailward/core';
import type { HarakaAddress, HarakaConnection } from './haraka-types';

const NO_NAME = new Set(['NXDOMAIN', 'DNSERROR', 'Unknown', '']);

/** The connecting client as Haraka saw it (rDNS name only when the lookup gave one). */
export function clientOf(connection: HarakaConnection): Client {
  const user = connection.notes.auth_user;
  const client: Client = {
    ip: connection.remote.ip,
    tls: Boolean(connection.tls?.enabled),
    authenticated: typeof user === 'string' && user !== '',
  };
  const host = connection.remote.host;
  if (typeof host === 'string' && !NO_NAME.has(host)) client.hostname = host;
  if (typeof user === 'string' && user !== '') client.user = user;
  return client;
}

/** An envelope address as the policy sees it: the null sender is ''. */
export function envelopeAddress(address: HarakaAddress | null | undefined): string {
  if (!address || address.isNull()) return '';
  return address.address;
}

/** What is known about the session at a stage, built from the connection and transaction. */
export function stageInput(
  connection: HarakaConnection,
  extra: { recipient?: string; recipients?: string[]; message?: MessageModel } = {},
): StageInput {
  const input: StageInput = { client: clientOf(connection), recipients: extra.recipients ?? [] };
  const helo = connection.hello?.host;
  if (helo) input.helo = helo;
  const txn = connection.transaction;
  if (txn?.mail_from) input.sender = envelopeAddress(txn.mail_from);
  if (extra.recipient !== undefined) input.recipient = extra.recipient;
  if (extra.message) input.message = extra.message;
  return input;
}
