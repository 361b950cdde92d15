/**
 * Issue #4: one log line per decision. The refusals of the policy's `smtp:` controls (a RCPT
 * over maxRecipients, a declared SIZE= over maxSize, MAIL before HELO) wrote none: the client
 * got its 452, 552 or 503 and the log had nothing to say why.
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore, policyHooks } from '../src/index';
import { openDialog } from './smtp-dialog';

const policy = loadPolicy('version: 1\nsmtp: { maxRecipients: 2, maxSize: 1000, greetPause: 0 }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n', 'controls.yaml');

it('logs a refused line naming the control for each refusal by the smtp: controls', async () => {
  const lines: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), log: (e) => lines.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    expect(await d.send('MAIL FROM:<a@example.net>\r\n')).toMatch(/^503 5\.5\.1 /);
    expect(await d.send('RCPT TO:<early@acme.example>\r\n')).toMatch(/^503 5\.5\.1 /);
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@example.net> SIZE=5000\r\n')).toMatch(/^552 5\.3\.4 /);
    expect(await d.send('MAIL FROM:<a@example.net>\r\n')).toMatch(/^250 /);
    expect(await d.send('RCPT TO:<b@acme.example>\r\n')).toMatch(/^250 /);
    expect(await d.send('RCPT TO:<c@acme.example>\r\n')).toMatch(/^250 /);
    expect(await d.send('RCPT TO:<d@acme.example>\r\n')).toMatch(/^452 4\.5\.3 /);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send('Subject: s\r\n\r\nbare\nlf\r\n.\r\n')).toMatch(/^5\d\d /);
    await d.send('QUIT\r\n');
    await d.closed;
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
  const session = lines.find((l) => l.event === 'connect')?.session;
  expect(lines.filter((l) => l.event === 'refused')).toEqual([
    expect.objectContaining({ session, stage: 'mail', by: 'smtp.requireHelo', sender: 'a@example.net', reply: expect.objectContaining({ code: 503, status: '5.5.1' }) }),
    expect.objectContaining({ session, stage: 'rcpt', by: 'smtp.requireHelo', recipient: 'early@acme.example', reply: expect.objectContaining({ code: 503, status: '5.5.1' }) }),
    expect.objectContaining({ session, stage: 'mail', by: 'smtp.maxSize', sender: 'a@example.net', size: 5000, reply: expect.objectContaining({ code: 552, status: '5.3.4' }) }),
    expect.objectContaining({ session, stage: 'rcpt', by: 'smtp.maxRecipients', sender: 'a@example.net', recipient: 'd@acme.example', reply: expect.objectContaining({ code: 452, status: '4.5.3' }) }),
  ]);
  expect(lines.find((l) => l.event === 'data-refused')).toMatchObject({ session, sender: 'a@example.net', recipients: ['b@acme.example', 'c@acme.example'] });
});

it('logs the hooks\' own refusal of SIZE= over maxSize, on a host server that sets no size', async () => {
  const lines: Record<string, unknown>[] = [];
  const { onConnect, onMailFrom, onRcptTo, onData } = policyHooks({ policy: () => policy, store: memoryStore(async () => 'Q1'), log: (e) => lines.push(e) });
  const server = new SMTPServer({ logger: false, authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], onConnect, onMailFrom, onRcptTo, onData });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@example.net> SIZE=5000\r\n')).toMatch(/^552 5\.3\.4 Message size exceeds the limit of 1000 bytes/);
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
  expect(lines.filter((l) => l.event === 'refused')).toEqual([expect.objectContaining({ stage: 'mail', by: 'smtp.maxSize', sender: 'a@example.net', size: 5000 })]);
});
