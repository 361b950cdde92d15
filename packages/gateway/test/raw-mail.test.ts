import { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import { sendRaw } from '../src/delivery/raw-mail';
import { startHub, type HubSink } from './hub-sink';

const streamOf = (text: string) => (): Readable => Readable.from([Buffer.from(text)]);

describe('sendRaw: a whole message over a pooled transport, as sendMail({ envelope, raw }) sends it', () => {
  let hub: HubSink;
  let transport: Transporter;

  beforeAll(async () => {
    hub = await startHub();
    transport = nodemailer.createTransport({ host: '127.0.0.1', port: hub.port, pool: true, maxConnections: 1, ignoreTLS: true });
  });

  afterAll(async () => {
    transport.close();
    await hub.close();
  });

  beforeEach(() => hub.received.splice(0));

  it('sends the bytes as they are, over one reused connection', async () => {
    const text = 'Subject: one\r\nX-Kept: as is\r\n\r\nbody\r\n.leading dot\r\n';
    await sendRaw(transport, { from: 'a@example.org', to: ['b@acme.example'] }, streamOf(text));
    await sendRaw(transport, { from: 'a@example.org', to: ['c@acme.example'] }, streamOf(text));
    expect(hub.received).toEqual([
      { from: 'a@example.org', to: ['b@acme.example'], data: text },
      { from: 'a@example.org', to: ['c@acme.example'], data: text },
    ]);
  });

  it('writes envelope addresses as sendMail does: the same RCPT TO list, the null sender as <>', async () => {
    const sendMailHub: HubSink = await startHub();
    const reference = nodemailer.createTransport({ host: '127.0.0.1', port: sendMailHub.port, ignoreTLS: true });
    const envelope = { from: '', to: ['al@jõgeva.example', 'AL@jõgeva.example', 'bo@acme.example'] };
    try {
      await sendRaw(transport, envelope, streamOf('Subject: idn\r\n\r\nx\r\n'));
      await reference.sendMail({ envelope, raw: 'Subject: idn\r\n\r\nx\r\n' });
      expect(hub.received[0]!.from).toBe('');
      expect({ from: hub.received[0]!.from, to: hub.received[0]!.to }).toEqual({ from: sendMailHub.received[0]!.from, to: sendMailHub.received[0]!.to });
    } finally {
      reference.close();
      await sendMailHub.close();
    }
  });

  it('ends a message that lacks a final line end with one, as sendMail does', async () => {
    await sendRaw(transport, { from: 'a@example.org', to: ['b@acme.example'] }, streamOf('Subject: cut\r\n\r\nno line end'));
    expect(hub.received[0]!.data).toBe('Subject: cut\r\n\r\nno line end\r\n');
  });

  it('rejects with the hop\'s answer when every recipient is refused', async () => {
    hub.refuse.add('nobody@acme.example');
    try {
      await expect(sendRaw(transport, { from: 'a@example.org', to: ['nobody@acme.example'] }, streamOf('Subject: no\r\n\r\nx\r\n')))
        .rejects.toMatchObject({ code: 'EENVELOPE', rejectedErrors: [expect.objectContaining({ responseCode: 550 })] });
    } finally {
      hub.refuse.delete('nobody@acme.example');
    }
  });
});
