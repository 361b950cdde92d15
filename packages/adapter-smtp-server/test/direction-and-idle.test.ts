import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

// Outbound mail only from the mail hubs (Firebox outgoing): here the hub is 127.0.0.1 or not.
const policy = (hubs: string) => loadPolicy(`
version: 1
lists:
  mailhubs: [${hubs}]
  our-domains: [acme.example]
outbound: { clients: ["@mailhubs"] }
smtp: { greetPause: 0, idleTimeout: 1s }
mail:
  rules:
    - id: outbound-only-from-hubs
      when: { sender: { domain: "@our-domains" }, direction: inbound }
      do: [ { reject: { code: 550, status: 5.7.1, text: "Our domains send only through the mail hubs" } } ]
rcpt:
  rules:
    - id: hubs-send-anywhere
      when: { direction: outbound }
      do: [ accept ]
    - id: inbound-to-us
      when: { recipient: { domain: "@our-domains" } }
      do: [ accept ]
`, 'direction.yaml');

async function serve(hubs: string): Promise<{ server: SMTPServer; port: number }> {
  const p = policy(hubs);
  const server = createPolicyServer({ policy: () => p, store: memoryStore(async () => 'Q1') });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.server.address() as AddressInfo).port };
}

const close = (s: SMTPServer) => new Promise<void>((r) => s.close(() => r()));
const send = (port: number, from: string, to: string) =>
  nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ envelope: { from, to: [to] }, raw: 'Subject: x\r\n\r\ny\r\n' });

describe('direction from the client address', () => {
  it('lets a mail hub send anywhere', async () => {
    const { server, port } = await serve('127.0.0.1');
    try {
      expect((await send(port, 'penny@acme.example', 'friend@elsewhere.example')).accepted).toEqual(['friend@elsewhere.example']);
    } finally {
      await close(server);
    }
  });

  it('refuses our domains as sender from anywhere else, and relaying', async () => {
    const { server, port } = await serve('10.0.0.10');
    try {
      await expect(send(port, 'penny@acme.example', 'bob@acme.example')).rejects.toMatchObject({ responseCode: 550, response: expect.stringMatching(/only through the mail hubs/) });
      await expect(send(port, 'x@example.org', 'friend@elsewhere.example')).rejects.toMatchObject({ responseCode: 550 });
      expect((await send(port, 'x@example.org', 'bob@acme.example')).accepted).toEqual(['bob@acme.example']);
    } finally {
      await close(server);
    }
  });
});

describe('keywords the gateway does not carry out', () => {
  it('offers neither AUTH (no login check here) nor DSN, even when the policy hides nothing', async () => {
    const { server, port } = await serve('10.0.0.10');
    try {
      const d = await openDialog(port);
      const ehlo = await d.send('EHLO client.example\r\n');
      expect(ehlo).not.toMatch(/AUTH|DSN/);
      expect(await d.send('AUTH PLAIN AGEAYg==\r\n')).toMatch(/^5\d\d/);
      d.close();
    } finally {
      await close(server);
    }
  });
});

describe('idle timeout', () => {
  it('drops a client that says nothing for idleTimeout', async () => {
    const { server, port } = await serve('10.0.0.10');
    try {
      const d = await openDialog(port);
      const started = Date.now();
      expect(await d.reply()).toMatch(/^421 /);
      await d.closed;
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await close(server);
    }
  });
});
