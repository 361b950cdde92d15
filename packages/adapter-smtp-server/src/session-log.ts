import { partReplacements, type CompiledPolicy, type Effect } from '@mailward/core';
import type { SMTPServer, SMTPServerSession } from 'smtp-server';
import { stateOf } from './connection-state';
import { eachConnection } from './each-connection';

interface Connection {
  remoteAddress: string;
  localAddress: string;
  localPort: number;
  session: SMTPServerSession;
  hostNameAppearsAs: string | false;
  send(code: number, data: string | string[], context?: unknown): void;
  _onCommand(command: Buffer, callback?: () => void): void;
  _onError(err: unknown): void;
  _socket?: { destroyed: boolean; readyState: string };
}

/** Where a session came in, as its log lines name it. */
export interface ListenerLabel {
  name?: string;
  zone: string;
}

/** Why each session ended, as its close line will say, from the reply that ended it. */
const reasons = new WeakMap<SMTPServerSession, string>();

/** Why the session is ending (idle-timeout, shutdown...), once a reply of smtp-server's has ended it. */
export function endingReason(session: SMTPServerSession): string | undefined {
  return reasons.get(session);
}

/** Why smtp-server's own replies end a session, by what they say. */
function endingOf(code: number, text: string): string | undefined {
  if (code === 221) return 'quit';
  if (code === 421) {
    if (/Timeout/i.test(text)) return 'idle-timeout';
    if (/Too many errors/.test(text)) return 'hard-error-limit';
    if (/shutting down/i.test(text)) return 'shutdown';
    if (/talk too soon/i.test(text)) return 'early-talker';
    return 'closed-by-gateway';
  }
  if (code === 554 && /PIPELINING/.test(text)) return 'pipelining-refused';
  return undefined;
}

/**
 * What the removing effects of a decision take out: header patterns and parts. A part that two
 * rules take out (a name rule and a type rule on the same .bat) is listed once, with the first
 * effect's action, as the rewriter applies only that one.
 */
export function removalsOf(effects: readonly Effect[]): { headers?: string[]; parts?: { action: string; path: string; type: string; filename?: string }[] } {
  const headers: string[] = [];
  const parts: { action: string; path: string; type: string; filename?: string }[] = [];
  for (const e of effects) {
    if (e.type === 'removeHeaders') headers.push(...e.names);
    if (e.type === 'keepHeaders') headers.push(`all but ${e.names.join(',')}`);
  }
  // Each part once, as the rewriter takes it out.
  for (const e of partReplacements(effects).values()) {
    parts.push({ action: e.type === 'stripPart' ? 'strip' : 'drop', path: e.part.path, type: e.part.type, ...(e.part.filename !== undefined ? { filename: e.part.filename } : {}) });
  }
  return { ...(headers.length ? { headers } : {}), ...(parts.length ? { parts } : {}) };
}

/**
 * The per-connection lines of the accounting log that no hook sees: the EHLO reply (what was
 * offered, which keywords the policy hid), a hidden command used anyway (AUTH, STARTTLS), and a
 * `close` line with the session's totals, how long it lasted and why it ended (after a `connect`
 * line where onConnect never ran: an early talker's session has both, as every other has).
 * `takesLogins`: the listener offers AUTH itself (a submission listener), so AUTH is never
 * called hidden there.
 */
export function logSessions(server: SMTPServer, policy: () => CompiledPolicy, listener: ListenerLabel, log: (event: Record<string, unknown>) => void, takesLogins = false): void {
  type Ending = { started: number; errors: number; reason?: string; connection: Connection };
  const endings = new WeakMap<SMTPServerSession, Ending>();
  eachConnection<Connection>(server, (connection) => {
    const info: Ending = { started: Date.now(), errors: 0, connection };
    endings.set(connection.session, info);
    let command = '';
    const onCommand = connection._onCommand.bind(connection);
    connection._onCommand = (line, callback): void => {
      command = String(line).split(' ', 1)[0]!.trim().toUpperCase();
      onCommand(line, callback);
    };
    // smtp-server passes a connection's socket errors on to the server with the client's address
    // alone: the session goes on them too, so the error's log line names its session.
    const onError = connection._onError.bind(connection);
    connection._onError = (err): void => {
      if (typeof err === 'object' && err !== null) Object.assign(err, { session: connection.session.id });
      onError(err);
    };
    const send = connection.send.bind(connection);
    connection.send = (code, data, context): void => {
      const text = Array.isArray(data) ? data.join(' ') : data;
      const ending = info.reason === undefined ? endingOf(code, text) : undefined;
      if (ending) {
        info.reason = ending;
        reasons.set(connection.session, ending);
      }
      // A reply smtp-server cannot write any more (the client went away in DATA) is no error of the client's.
      const socket = connection._socket;
      if (code >= 400 && socket && !socket.destroyed && socket.readyState === 'open') info.errors++;
      const hidden = policy().smtp.hideKeywords;
      if (Array.isArray(data) && code === 250) {
        const offered = data.slice(1).map((k) => k.split(' ')[0]!);
        // A submission listener offers AUTH under TLS whatever the policy hides: not the policy's
        // to hide there, before STARTTLS either (where it is left out because the session is in clear).
        const hiddenHere = hidden.filter((k) => !offered.includes(k) && !(takesLogins && k === 'AUTH'));
        log({ event: 'ehlo', session: connection.session.id, client: connection.remoteAddress, helo: connection.hostNameAppearsAs || undefined, offered, hidden: hiddenHere });
      } else if (code === 500 && hidden.includes(command)) {
        log({ event: 'hidden-keyword-refused', session: connection.session.id, client: connection.remoteAddress, keyword: command, command });
      }
      send(code, data, context);
    };
  });
  // The host's own onClose (given in its options) runs after the close line, not instead of it.
  const hostOnClose = server.onClose.bind(server);
  server.onClose = (session, callback): void => {
    const info = endings.get(session);
    const state = stateOf(session);
    // smtp-server fills the session's addresses in when it greets: an early talker's are the connection's.
    const c = info?.connection;
    const client = session.remoteAddress ?? c?.remoteAddress;
    const where = { ...listener, address: session.localAddress ?? c?.localAddress, port: session.localPort ?? c?.localPort };
    // Refused before onConnect ran (an early talker, too many clients): its connect line is written now.
    if (!state.connectLogged) log({ event: 'connect', session: session.id, client, listener: where });
    log({
      event: 'close', session: session.id, client, listener: where,
      ...state.totals, errors: info?.errors ?? 0, ms: info ? Date.now() - info.started : undefined, reason: info?.reason ?? 'client-closed',
    });
    hostOnClose(session, callback);
  };
}
