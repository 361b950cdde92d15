/**
 * A pooled connection the hub closed meanwhile (a hub restarting: smtp-server answers 421 to
 * MAIL FROM while it shuts down) makes nodemailer send the message again over a new connection.
 * It destroys the stream the failed attempt got, so the new attempt needs a new one: with the
 * same stream it waited for bytes that never came, until the socket timeout (60 s by default).
 */
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import { sendRaw } from '../src/delivery/raw-mail';
import { startHub } from './hub-sink';

it('sends the message over a new connection, at once, when the pooled one was closed by a restarting hub', async () => {
  const first = await startHub();
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: first.port, pool: true, maxConnections: 1, ignoreTLS: true, socketTimeout: 20_000 });
  const open = (text: string) => (): Readable => Readable.from([Buffer.from(text)]);
  let firstClosed: Promise<void> | undefined;
  let second: Awaited<ReturnType<typeof startHub>> | undefined;
  try {
    await sendRaw(transport, { from: 'a@example.org', to: ['b@acme.example'] }, open('Subject: one\r\n\r\nx\r\n'));
    firstClosed = first.close(); // stops listening; the pooled connection now gets 421 Server shutting down
    second = await startHub(first.port);
    const started = Date.now();
    await sendRaw(transport, { from: 'a@example.org', to: ['c@acme.example'] }, open('Subject: two\r\n\r\ny\r\n'));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(second.received).toEqual([{ from: 'a@example.org', to: ['c@acme.example'], data: 'Subject: two\r\n\r\ny\r\n' }]);
  } finally {
    transport.close();
    await firstClosed;
    await second?.close();
  }
}, 30_000);
