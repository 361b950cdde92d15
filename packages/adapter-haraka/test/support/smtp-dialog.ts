import * as net from 'node:net';

/** One SMTP reply: the code and its text lines (without the code). */
export interface SmtpReply {
  code: number;
  lines: string[];
  text: string;
}

/**
 * A deliberately plain SMTP client for tests: one command, one reply, nothing hidden, so a test
 * can check each code the server gives (per recipient, after DATA, to EHLO).
 */
export class SmtpDialog {
  private buffer = '';
  private waiting: Array<(reply: SmtpReply) => void> = [];
  private replies: SmtpReply[] = [];
  private partial: string[] = [];

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', () => undefined);
  }

  /** Connects and reads the greeting. */
  static async open(port: number, host = '127.0.0.1'): Promise<{ dialog: SmtpDialog; greeting: SmtpReply }> {
    const socket = net.connect(port, host);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const dialog = new SmtpDialog(socket);
    const greeting = await dialog.reply();
    return { dialog, greeting };
  }

  /** Sends one command line and waits for its reply. */
  async command(line: string): Promise<SmtpReply> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  /** DATA, then the message (dot-stuffed here, CRLF as given), then the final dot. */
  async data(message: Buffer | string): Promise<{ start: SmtpReply; end?: SmtpReply }> {
    const start = await this.command('DATA');
    if (start.code !== 354) return { start };
    let body = Buffer.isBuffer(message) ? message.toString('binary') : message;
    body = body.replace(/(^|\r\n)\./g, '$1..');
    if (!body.endsWith('\r\n')) body += '\r\n';
    this.socket.write(Buffer.from(`${body}.\r\n`, 'binary'));
    return { start, end: await this.reply() };
  }

  /** Sends QUIT and closes. */
  async close(): Promise<void> {
    if (!this.socket.destroyed) {
      this.socket.write('QUIT\r\n');
      await new Promise<void>((resolve) => {
        this.socket.once('close', () => resolve());
        setTimeout(() => {
          this.socket.destroy();
          resolve();
        }, 1000).unref();
      });
    }
  }

  private reply(): Promise<SmtpReply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl: number;
    while ((nl = this.buffer.indexOf('\r\n')) !== -1) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 2);
      this.partial.push(line.slice(4));
      if (line[3] !== '-') {
        const reply: SmtpReply = { code: Number(line.slice(0, 3)), lines: this.partial, text: this.partial.join('\n') };
        this.partial = [];
        const waiter = this.waiting.shift();
        if (waiter) waiter(reply);
        else this.replies.push(reply);
      }
    }
  }
}
