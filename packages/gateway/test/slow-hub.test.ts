/**
 * A hub slow to answer the end of DATA (a content scanner at work) is waited for as RFC 5321
 * 4.5.3.2.6 asks (10 minutes), not for delivery.timeout: given up on after 60 s, the message
 * was delivered again at every retry, each copy taken by the hub. delivery.timeout still bounds
 * the connection and the greeting, so failover to the next hub stays quick.
 */
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { SMTPServer } from 'smtp-server';
import { closeRelays, relay } from '../src/delivery/smtp-relay';

const message = () => Readable.from([Buffer.from('Subject: slow\r\n\r\nx\r\n')]);

async function slowHub(ms: number): Promise<{ port: number; received: () => number; close(): Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, _session, cb) {
      stream.resume();
      stream.on('end', () => setTimeout(() => (received++, cb()), ms));
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.server.address() as AddressInfo).port, received: () => received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

it('waits past delivery.timeout for the reply to the end of DATA: delivered once', async () => {
  const hub = await slowHub(2500);
  try {
    const outcomes = await relay([{ host: '127.0.0.1', port: hub.port }], 'a@example.org', ['b@acme.example'], message, { mode: 'smtp', timeout: 1 });
    expect(outcomes).toEqual([expect.objectContaining({ address: 'b@acme.example', outcome: 'delivered' })]);
    expect(hub.received()).toBe(1);
  } finally {
    closeRelays(true); // the pooled connection, or the hub's close() waits for it
    await hub.close();
  }
}, 20_000);

it('gives up on a reply after delivery.replyTimeout', async () => {
  const hub = await slowHub(2500);
  try {
    const outcomes = await relay([{ host: '127.0.0.1', port: hub.port }], 'a@example.org', ['b@acme.example'], message, { mode: 'smtp', timeout: 1, replyTimeout: 1 });
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'temporary', detail: expect.stringMatching(/Timeout/) })]);
  } finally {
    closeRelays(true); // the pooled connection, or the hub's close() waits for it
    await hub.close();
  }
}, 20_000);

it('still gives up on a hub that never greets within delivery.timeout', async () => {
  const held: Socket[] = [];
  const silent = createServer((s) => void held.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  try {
    const started = Date.now();
    const outcomes = await relay([{ host: '127.0.0.1', port: (silent.address() as AddressInfo).port }], 'a@example.org', ['b@acme.example'], message, { mode: 'smtp', timeout: 1 });
    expect(outcomes[0]!.outcome).toBe('temporary');
    expect(Date.now() - started).toBeLessThan(5000);
  } finally {
    closeRelays(true);
    for (const s of held) s.destroy();
    await new Promise((r) => silent.close(r));
  }
}, 20_000);
