/** Asking a hop what it offers: the EHLO answer is read and kept; no answer is never taken for "nothing". */
import { createServer, type AddressInfo, type Server } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { forgetExtensions, knownExtensions, learnExtensions, probeExtensions } from '../src/delivery/hop-extensions';

let hangup: Server;
let hub: SMTPServer;
const portOf = (s: Server): number => (s.address() as AddressInfo).port;

beforeAll(async () => {
  hangup = createServer((socket) => socket.destroy()); // a hub restarting: connects, then closes
  await new Promise<void>((r) => hangup.listen(0, '127.0.0.1', () => r()));
  hub = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], hide8BITMIME: true, logger: false });
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
});
afterAll(async () => {
  forgetExtensions();
  await new Promise<void>((r) => hangup.close(() => r()));
  await new Promise<void>((r) => hub.close(() => r()));
});

it('reads what a hop offers from its EHLO answer, and keeps it', async () => {
  const port = portOf(hub.server);
  await expect(probeExtensions('hub', { host: '127.0.0.1', port, connectionTimeout: 2000 })).resolves.toEqual({ eightBitMime: false, smtpUtf8: true });
  expect(knownExtensions('hub')).toEqual({ eightBitMime: false, smtpUtf8: true });
});

it('fails, and remembers nothing, for a hop that hangs up before its EHLO answer', async () => {
  const port = portOf(hangup);
  await expect(probeExtensions('hangup', { host: '127.0.0.1', port, connectionTimeout: 2000, greetingTimeout: 2000 })).rejects.toThrow();
  // Taken for "offers nothing", a restarting hub would have its UTF-8 recipients bounced for minutes.
  expect(knownExtensions('hangup')).toBeUndefined();
});

it('learns from the EHLO lines of a send, and believes them for ten minutes', () => {
  learnExtensions('sent', ['PIPELINING', '8BITMIME', 'SIZE 1000'], 1_000);
  expect(knownExtensions('sent', 1_000 + 9 * 60_000)).toEqual({ eightBitMime: true, smtpUtf8: false });
  expect(knownExtensions('sent', 1_000 + 10 * 60_000)).toBeUndefined();
});
