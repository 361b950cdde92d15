import type { Client, Decision, Effect, FactResult, Reply } from '@mailward/core';
import type { SMTPServerSession } from 'smtp-server';

/** What one SMTP connection has decided so far (its transaction is reset by MAIL FROM). */
export interface ConnectionState {
  /** smtp-server's session id, which every log line of this connection carries. */
  session: string;
  client: Client;
  connect?: Decision;
  /** Set once the `connect` line is written: a session refused before onConnect gets it with its `close` line. */
  connectLogged?: true;
  /** The HELO/EHLO name and its decision, made with TLS as `tls` says (STARTTLS makes it anew). */
  helo?: { name: string; tls: boolean; decision: Decision };
  sender?: string;
  /** MAIL FROM's BODY= parameter, upper-cased. */
  body?: string;
  mail?: Decision;
  /** Accepted recipients with their rcpt decisions, each once. */
  recipients: { address: string; decision: Decision }[];
  /** The reply to the RCPT just accepted: a repeated recipient's is the one its first RCPT got. */
  rcptReply?: Reply;
  /** What this connection has queued so far, for its `close` log line. */
  totals: { messages: number; recipients: number; bytes: number };
  /** Lookups already answered on this connection (DNSBL, DNS, greylist). */
  memo: Map<string, Promise<FactResult<unknown>>>;
}

const states = new WeakMap<SMTPServerSession, ConnectionState>();

/** The state of a session, created on first use. */
export function stateOf(session: SMTPServerSession): ConnectionState {
  let state = states.get(session);
  if (!state) {
    const client: Client = { ip: session.remoteAddress, tls: Boolean(session.secure), authenticated: Boolean(session.user) };
    if (session.clientHostname && session.clientHostname !== `[${session.remoteAddress}]`) client.hostname = session.clientHostname;
    state = { session: session.id, client, recipients: [], totals: { messages: 0, recipients: 0, bytes: 0 }, memo: new Map() };
    states.set(session, state);
  }
  // A login comes after connect, and XCLIENT can undo it: read as the session is at every command.
  state.client.tls = Boolean(session.secure);
  state.client.authenticated = Boolean(session.user);
  const user = userOf(session.user);
  if (user === undefined) delete state.client.user;
  else state.client.user = user;
  return state;
}

/**
 * The login name `client.user` matches: what onAuth gave as `user`. A host's own server may
 * give an id there (smtp-server's example has `user: 123`) or an object, named by its
 * `username` as smtp-server's own log lines name it; anything else names no one.
 */
function userOf(user: unknown): string | undefined {
  if (typeof user === 'number' || typeof user === 'bigint') return String(user);
  const name = user && typeof user === 'object' ? (user as { username?: unknown }).username : user;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** Effects of the envelope stages that apply to the whole message (sender rewrites, bcc, logs). */
export function envelopeEffects(state: ConnectionState): Effect[] {
  return [...(state.connect?.effects ?? []), ...(state.helo?.decision.effects ?? []), ...(state.mail?.effects ?? [])];
}
