import type { Server, Socket } from 'node:net';

/**
 * Hold a listener's connections until the returned release is called: the gateway binds as root
 * (port 25), and no session may run, nor create a spool file, before the privileges are dropped.
 * The kernel completes the TCP handshakes meanwhile; the client waits for its greeting and what
 * it sends early stays unread. Call before `listen`. A start that fails drops them instead.
 */
export function holdConnections(server: Server): { release(): void; drop(): void } {
  const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
  const held: Socket[] = [];
  // A client that resets while held must not be an unhandled 'error' (it would end the process).
  const ignore = (): void => undefined;
  const hold = (socket: Socket): void => {
    socket.on('error', ignore);
    held.push(socket);
  };
  server.removeAllListeners('connection');
  server.on('connection', hold);
  return {
    release: () => {
      server.off('connection', hold);
      for (const handler of handlers) server.on('connection', handler);
      for (const socket of held.splice(0)) {
        socket.off('error', ignore);
        if (socket.destroyed) continue;
        for (const handler of handlers) handler.call(server, socket);
      }
    },
    // Closed unanswered: no session ran for them, and the process must not wait on them.
    drop: () => {
      for (const socket of held.splice(0)) socket.destroy();
    },
  };
}
