import type { SMTPServer } from 'smtp-server';

interface ClientError {
  message?: string;
  code?: string;
  remoteAddress?: string;
  /** The session's id, which the session log puts on the errors of a session's connection. */
  session?: string;
  meta?: { remoteAddress?: string };
}

/**
 * smtp-server emits each client's socket and TLS errors (a handshake below TLS 1.2, say) as an
 * 'error' of the server, and an 'error' nobody listens to ends the process: any client could
 * stop a host that added no listener. Where the host has none, an error of one client's
 * connection (smtp-server names its address) is logged instead; the server's own errors (a port
 * in use) still throw, and a host that listens gets every error as before.
 */
export function containClientErrors(server: SMTPServer, log: (event: Record<string, unknown>) => void): void {
  const emit = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
    const err = args[0] as ClientError | undefined;
    const client = err?.remoteAddress ?? err?.meta?.remoteAddress;
    if (event !== 'error' || !client || server.listenerCount('error') > 0) return emit(event, ...args);
    log({ event: 'client-error', ...(err?.session ? { session: err.session } : {}), client, code: err?.code, error: err?.message });
    return false;
  }) as SMTPServer['emit'];
}
