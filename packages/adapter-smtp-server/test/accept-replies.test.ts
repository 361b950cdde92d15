import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const POLICY = `
version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: vip
      when: { recipient: vip@acme.example }
      do: [ { accept: { code: 250, status: 2.1.5, text: "VIP recipient welcome" } } ]
    - id: ours
      when: { recipient: { domain: acme.example } }
      do: [ accept ]
`;

describe('MAIL and RCPT accepted with the decision reply', () => {
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    const policy = loadPolicy(POLICY, 'test.yaml');
    server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1') });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("answers each accepted command with its stage's reply, not smtp-server's 250 Accepted", async () => {
    const d = await openDialog(port);
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toBe('250 2.1.0 OK');
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toBe('250 2.1.5 OK');
    expect(await d.send('RCPT TO:<x@elsewhere.example>\r\n')).toBe('550 5.7.1 Relaying denied');
    expect(await d.send('RCPT TO:<vip@acme.example>\r\n')).toBe('250 2.1.5 VIP recipient welcome');
    d.close();
    await d.closed;
  });
});

describe('the 250 at the end of DATA', () => {
  it('names the queue id the store gives, and none when it resolves to nothing', async () => {
    const policy = loadPolicy(POLICY, 'test.yaml');
    const stores = [
      [async (): Promise<string> => 'Q7', '250 2.0.0 Message accepted: queued as Q7'],
      [async (): Promise<void> => undefined, '250 2.0.0 Message accepted'],
      [async (): Promise<string> => '', '250 2.0.0 Message accepted'],
      // A store written in JavaScript can resolve to anything: what is not an id names none.
      [(async () => 7) as unknown as () => Promise<string>, '250 2.0.0 Message accepted'],
    ] as const;
    for (const [deliver, reply] of stores) {
      const server = createPolicyServer({ policy: () => policy, store: memoryStore(deliver) });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const d = await openDialog((server.server.address() as AddressInfo).port);
      await d.send('EHLO client.example\r\n');
      await d.send('MAIL FROM:<a@example.org>\r\n');
      await d.send('RCPT TO:<bob@acme.example>\r\n');
      await d.send('DATA\r\n');
      expect(await d.send('Subject: x\r\n\r\nhi\r\n.\r\n')).toBe(reply);
      d.close();
      await d.closed;
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
