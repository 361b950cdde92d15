/** `smtp: { requireHelo }`: true or absent, MAIL before HELO/EHLO gets 503 5.5.1; false lets it through. */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

async function serve(smtp: string): Promise<{ server: SMTPServer; port: number; queued: string[] }> {
  const policy = loadPolicy(`version: 1\nsmtp: { greetPause: 0${smtp} }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n`, 'test.yaml');
  const queued: string[] = [];
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async (m) => `Q${queued.push(m.sender)}`) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.server.address() as AddressInfo).port, queued };
}

// Closed after each test, passed or failed: a failing expectation must not leave a session open.
const open: { server: SMTPServer; close(): void }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.close();
    await new Promise<void>((r) => o.server.close(() => r()));
  }
});
async function dialog(server: SMTPServer, port: number): ReturnType<typeof openDialog> {
  const d = await openDialog(port);
  open.push({ server, close: d.close });
  return d;
}

it('requireHelo: false takes a whole transaction without HELO/EHLO', async () => {
  const { server, port, queued } = await serve(', requireHelo: false');
  const d = await dialog(server, port);
  expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250 /);
  expect(await d.send('RCPT TO:<b@example.org>\r\n')).toMatch(/^250 /);
  expect(await d.send('DATA\r\n')).toMatch(/^354 /);
  expect(await d.send('Subject: no helo\r\n\r\nhi\r\n.\r\n')).toMatch(/^250 .*queued as Q1/);
  expect(queued).toEqual(['a@example.org']);
  // AUTH still needs a greeting, and a later EHLO works as usual.
  expect(await d.send('EHLO client.example\r\n')).toMatch(/^250/);
});

it.each([['absent', ''], ['true', ', requireHelo: true']])('requireHelo %s: MAIL, RCPT and DATA before HELO get 503 5.5.1', async (_, smtp) => {
  const { server, port, queued } = await serve(smtp);
  const d = await dialog(server, port);
  expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^503 5\.5\.1 /);
  expect(await d.send('RCPT TO:<b@example.org>\r\n')).toMatch(/^503 5\.5\.1 /);
  expect(await d.send('DATA\r\n')).toMatch(/^503 5\.5\.1 /);
  expect(await d.send('HELO client.example\r\n')).toMatch(/^250 /);
  expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250 /);
  expect(queued).toEqual([]);
});
