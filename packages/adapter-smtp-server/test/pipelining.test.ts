/** A policy that hides PIPELINING refuses a client that pipelines anyway (RFC 2920 not offered). */
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const policyHiding = (keywords: string) => loadPolicy(`
version: 1
smtp: { hideKeywords: [${keywords}], greetPause: 0 }
rcpt: { rules: [ { id: all, do: [ accept ] } ] }
`, 'test.yaml');

async function serve(keywords: string): Promise<{ server: SMTPServer; port: number; stored: number[]; events: Record<string, unknown>[] }> {
  const policy = policyHiding(keywords);
  const stored: number[] = [];
  const events: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => `Q${stored.push(1)}`), log: (e) => events.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.server.address() as AddressInfo).port, stored, events };
}

describe('hideKeywords: [PIPELINING]', () => {
  let hidden: Awaited<ReturnType<typeof serve>>;
  let offered: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    hidden = await serve('PIPELINING');
    offered = await serve('DSN');
  });
  afterAll(async () => {
    for (const s of [hidden, offered]) await new Promise<void>((r) => s.server.close(() => r()));
  });

  it('refuses commands sent before the last reply with 554 5.5.0 and hangs up', async () => {
    const d = await openDialog(hidden.port);
    expect(await d.send('EHLO client.example\r\n')).not.toMatch(/PIPELINING/);
    // A whole transaction in one packet: refused at its first command, and nothing of it is run.
    expect(await d.send('MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\nSubject: x\r\n\r\ny\r\n.\r\n')).toMatch(/^554 5\.5\.0 /);
    await d.closed;
    expect(hidden.stored).toHaveLength(0);
    expect(hidden.events).toContainEqual({ event: 'pipelining-refused', client: '127.0.0.1' });
  });

  it('survives a DATA sent with its message in one packet (the data hook answers a closed connection)', async () => {
    const d = await openDialog(hidden.port);
    await d.send('EHLO client.example\r\n');
    await d.send('MAIL FROM:<a@example.org>\r\n');
    await d.send('RCPT TO:<b@example.org>\r\n');
    expect(await d.send('DATA\r\nSubject: x\r\n\r\ny\r\n.\r\n')).toMatch(/^554 5\.5\.0 /);
    await d.closed;
    await new Promise((r) => setTimeout(r, 200)); // the data hook's answer, had it thrown, would have by now
    const next = await openDialog(hidden.port);
    expect(next.greeting).toMatch(/^220 /);
    next.close();
    expect(hidden.stored).toHaveLength(0);
  });

  it('serves a client that waits for each reply', async () => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: hidden.port, ignoreTLS: true });
    const info = await transport.sendMail({ envelope: { from: 'a@example.org', to: ['b@example.org', 'c@example.org'] }, raw: 'Subject: x\r\n\r\ny\r\n' });
    expect(info.accepted).toEqual(['b@example.org', 'c@example.org']);
    expect(hidden.stored).toHaveLength(1);
  });

  it('answers the same pipelined commands where PIPELINING is offered', async () => {
    const d = await openDialog(offered.port);
    expect(await d.send('EHLO client.example\r\n')).toMatch(/PIPELINING/);
    d.write('MAIL FROM:<a@example.org>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n');
    expect([await d.reply(), await d.reply(), await d.reply()].map((r) => r.slice(0, 3))).toEqual(['250', '250', '354']);
    d.close();
  });
});
