/**
 * After a policy reload the rules apply at the next command, while the smtp: controls that
 * smtp-server carries out (the EHLO reply, SIZE, hidden keywords) stay those the server was made
 * with: the refusals follow the EHLO reply the client was given, not the new policy.
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy, type CompiledPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const first = loadPolicy(`
version: 1
smtp: { greetPause: 0, maxSize: 20KB, hideKeywords: [SMTPUTF8, PIPELINING] }
rcpt: { rules: [ { id: all, do: [ accept ] } ] }
`, 'first.yaml');
const reloaded = loadPolicy(`
version: 1
smtp: { greetPause: 0, maxSize: 1MB }
rcpt:
  rules:
    - { id: no-bob, when: { recipient: bob@acme.example }, do: [ { reject: { code: 550, status: 5.1.1, text: "No bob since the reload" } } ] }
    - { id: all, do: [ accept ] }
`, 'reloaded.yaml');

it('applies reloaded rules at the next command, and keeps the EHLO and its refusals as the server was made', async () => {
  let policy: CompiledPolicy = first;
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1') });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toMatch(/^250/);
    policy = reloaded;
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toMatch(/^250/); // a repeat: already taken
    expect(await d.send('RSET\r\n')).toMatch(/^250/);
    const ehlo = await d.send('EHLO client.example\r\n');
    expect(ehlo).toMatch(/SIZE 20480/);
    expect(ehlo).not.toMatch(/SMTPUTF8|PIPELINING/);
    expect(await d.send('MAIL FROM:<a@example.org> SMTPUTF8\r\n')).toMatch(/^555 5\.5\.4 Parameter not supported: SMTPUTF8/);
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=30000\r\n')).toMatch(/^552 5\.3\.4 /);
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toBe('550 5.1.1 No bob since the reload');
    expect(await d.send('RCPT TO:<ann@acme.example>\r\n')).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    // Over the limit the EHLO reply advertised, though the new policy would take it.
    expect(await d.send(`Subject: big\r\n\r\n${`${'x'.repeat(70)}\r\n`.repeat(400)}.\r\n`)).toBe('552 5.3.4 Message exceeds the maximum size of 20480 bytes');
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
