import { connect, type Socket } from 'node:net';

/** Where a scanner listens: TCP host and port, or a unix socket path. */
export type Endpoint = { host: string; port: number } | { socket: string };

/** The reason to abort a lookup with when it is not its time budget: its words become the error's. */
export class LookupCut extends Error {}

/** A connection that fails with a clear error on timeout or abort, never hangs. */
export function openConnection(endpoint: Endpoint, timeoutMs: number, signal?: AbortSignal): Socket {
  const socket = 'socket' in endpoint ? connect(endpoint.socket) : connect(endpoint.port, endpoint.host);
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
  if (signal) {
    const abort = (): void => {
      socket.destroy(signal.reason instanceof LookupCut ? new Error(signal.reason.message) : new Error('lookup aborted (time budget spent)'));
    };
    if (signal.aborted) abort();
    else {
      signal.addEventListener('abort', abort, { once: true });
      socket.once('close', () => signal.removeEventListener('abort', abort));
    }
  }
  return socket;
}

/** Read a whole reply until the peer closes. */
export function readReply(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks));
    });
  });
}

/** Describe an endpoint for logs and errors. */
export function describeEndpoint(endpoint: Endpoint): string {
  return 'socket' in endpoint ? endpoint.socket : `${endpoint.host}:${endpoint.port}`;
}
