import { SMTPServer } from 'smtp-server';

/** A message the sink received. */
export interface SunkMessage {
  from: string;
  to: string[];
  raw: Buffer;
}

/** An smtp-server on a free port that accepts everything and keeps what it got. */
export class Sink {
  readonly messages: SunkMessage[] = [];
  private waiters: Array<() => void> = [];
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** Starts the sink on 127.0.0.1, port 0. */
  static async start(): Promise<Sink> {
    const holder: { sink?: Sink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          holder.sink?.messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks),
          });
          for (const w of holder.sink?.waiters.splice(0) ?? []) w();
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    holder.sink = new Sink(server, port);
    return holder.sink;
  }

  /** Waits until at least `count` messages arrived. */
  async waitFor(count: number): Promise<SunkMessage[]> {
    while (this.messages.length < count) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    return this.messages;
  }

  /** Stops the server. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
