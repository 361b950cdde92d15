/** An smtp-server that plays the mail hub in tests: keeps what it receives, can refuse or be down. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  from: string;
  to: string[];
  data: string;
}

export interface HubSink {
  port: number;
  received: Received[];
  /** Recipients answered 550. */
  refuse: Set<string>;
  /** Recipients answered 451 (try again later). */
  defer: Set<string>;
  /** When set, the end of DATA is answered 451 4.3.0 (busy: the whole transaction). */
  deferData: boolean;
  close(): Promise<void>;
}

/** Start a hub on a free loopback port (or on `port`, to come back where it was; on `host`, another loopback address). */
export async function startHub(port = 0, host = '127.0.0.1'): Promise<HubSink> {
  const received: Received[] = [];
  const refuse = new Set<string>();
  const defer = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _s, cb) {
      if (refuse.has(address.address)) return cb(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      if (defer.has(address.address)) return cb(Object.assign(new Error('4.2.1 Mailbox busy, try later'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (hub.deferData) return cb(Object.assign(new Error('4.3.0 Hub busy, try later'), { responseCode: 451 }));
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  // A client killed mid-session (the crash test) resets its connection: not the hub's failure.
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(port, host, () => r()));
  const hub: HubSink = {
    port: (server.server.address() as AddressInfo).port,
    received,
    refuse,
    defer,
    deferData: false,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return hub;
}

/** Wait until `check` holds (the dequeuer works in the background). */
export async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
