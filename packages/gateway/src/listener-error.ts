/** An error smtp-server reports on a listener, as the log line it makes. */
export interface ListenerErrorEvent {
  level: 'warn' | 'error';
  fields: Record<string, unknown>;
}

type ClientError = Error & { code?: string; reason?: string; remoteAddress?: string; session?: string; meta?: { remoteAddress?: string } };

/**
 * What an error of a listener says to the admin. A client's failure (a TLS handshake it could
 * not make: TLS 1.0/1.1, no common cipher, a scanner's garbage; a timeout or a reset during it) is
 * the client's, not the gateway's: a `tls-failed` (or `client-error`) warning with the client
 * and OpenSSL's reason, not an error-level line of raw OpenSSL text that an Internet scanner can
 * produce at will. Anything else stays a `listener-error`.
 */
export function listenerErrorEvent(err: ClientError, listen: string): ListenerErrorEvent {
  // A STARTTLS failure carries the client on the error; an implicit-TLS handshake's, in its meta.
  const address = err.remoteAddress ?? err.meta?.remoteAddress;
  const client = { ...(err.session ? { session: err.session } : {}), ...(address ? { client: address } : {}) };
  const code = err.code ?? '';
  if (code.startsWith('ERR_SSL_') || code === 'ERR_TLS_HANDSHAKE_TIMEOUT' || /SSL routines/.test(err.message)) {
    return { level: 'warn', fields: { event: 'tls-failed', listen, ...client, reason: err.reason ?? (code || err.message.trim()), ...(code ? { code } : {}) } };
  }
  if (['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED'].includes(code)) {
    return { level: 'warn', fields: { event: 'client-error', listen, ...client, code, error: err.message } };
  }
  return { level: 'error', fields: { event: 'listener-error', listen, ...client, error: err.message } };
}
