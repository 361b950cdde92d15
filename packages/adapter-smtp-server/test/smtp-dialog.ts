/** A plain SMTP client for tests: send lines, read replies, as a client that breaks rules would. */
import { connect, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface Dialog {
  /** Wait for the next complete reply (multi-line replies joined). */
  reply(): Promise<string>;
  /** Send raw bytes and read the next reply. */
  send(data: string | Buffer): Promise<string>;
  write(data: string | Buffer): void;
  closed: Promise<void>;
  socket: Socket;
  close(): void;
}

/** A dialog over a socket already open (a plain one, or the TLS one STARTTLS gives). */
export function dialogOver(socket: Socket | TLSSocket): Dialog {
  let buffer = '';
  const waiting: ((r: string) => void)[] = [];
  const ready: string[] = [];
  socket.on('data', (d: Buffer) => {
    buffer += d.toString('latin1');
    let m: RegExpExecArray | null;
    while ((m = /^((?:\d{3}-[^\n]*\n)*\d{3} [^\n]*\n)/.exec(buffer))) {
      buffer = buffer.slice(m[0].length);
      const next = waiting.shift();
      if (next) next(m[1]!.trim());
      else ready.push(m[1]!.trim());
    }
  });
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  socket.on('error', () => undefined);
  const reply = (): Promise<string> =>
    new Promise((resolve) => {
      const r = ready.shift();
      if (r !== undefined) resolve(r);
      else waiting.push(resolve);
    });
  return {
    reply,
    send: (data) => {
      socket.write(data);
      return reply();
    },
    write: (data) => socket.write(data),
    closed,
    socket,
    close: () => socket.destroy(),
  };
}

/** Open a connection and read the greeting. */
export async function openDialog(port: number): Promise<Dialog & { greeting: string }> {
  const dialog = dialogOver(connect(port, '127.0.0.1'));
  return { ...dialog, greeting: await dialog.reply() };
}
