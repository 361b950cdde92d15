import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

describe("the host's own size where the policy sets no maxSize", () => {
  let server: SMTPServer;
  let port: number;

  beforeAll(async () => {
    const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\nrcpt: { default: accept }\n', 'test.yaml');
    server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), server: { size: 1000 } });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses a larger message at the end of DATA with a reply that names no undefined limit', async () => {
    const d = await openDialog(port);
    await d.send('EHLO client.example\r\n');
    await d.send('MAIL FROM:<a@example.org>\r\n');
    await d.send('RCPT TO:<bob@acme.example>\r\n');
    await d.send('DATA\r\n');
    const reply = await d.send(`Subject: big\r\n\r\n${'x'.repeat(70)}\r\n`.repeat(30) + '.\r\n');
    expect(reply).toBe('552 5.3.4 Message exceeds the maximum message size');
    d.close();
    await d.closed;
  });
});
