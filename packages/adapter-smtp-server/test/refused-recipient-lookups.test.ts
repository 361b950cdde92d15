import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';

// A relay or dictionary bot must not make the gateway probe the hub, or write greylist entries,
// for recipients an earlier rule already refuses (trial: one hub probe per relay attempt).
const policy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - { id: not-ours, when: { not: { recipient: "*@acme.example" } }, do: [ { reject: { code: 550, status: 5.7.1, text: Relaying denied } } ] }
    - { id: unknown, when: { recipient: { exists: false } }, do: [ { reject: { code: 550, status: 5.1.1, text: No such user } } ] }
    - { id: grey, when: { greylist: pending }, do: [ tempfail ] }
    - { id: ok, do: [ accept ] }
`, 'relay.yaml');

it('asks the hub and the greylist nothing about a recipient refused as relaying, and asks about ours', async () => {
  const asked: string[] = [];
  const server = createPolicyServer({
    policy: () => policy,
    providers: {
      recipientExists: async (a) => (asked.push(`exists ${a}`), true),
      greylist: async (t) => (asked.push(`greylist ${t.recipient}`), 'pass'),
    },
    store: memoryStore(async () => 'Q'),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const port = (server.server.address() as AddressInfo).port;
    const send = (to: string): Promise<unknown> => nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ envelope: { from: 'bot@example.net', to: [to] }, raw: 'Subject: x\r\n\r\ny\r\n' });
    await expect(send('victim@elsewhere.example')).rejects.toMatchObject({ responseCode: 550, response: expect.stringContaining('Relaying denied') });
    expect(asked).toEqual([]);
    await send('b@acme.example');
    expect(asked).toEqual(['exists b@acme.example', 'greylist b@acme.example']);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
