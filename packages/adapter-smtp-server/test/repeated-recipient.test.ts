/**
 * A recipient given again in the same transaction (in any case) is answered 250 as smtp-server
 * does, but is one recipient: the mail lists it once and it takes one place of maxRecipients.
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore, type AcceptedMessage } from '../src/index';
import { openDialog } from './smtp-dialog';

const policy = loadPolicy(`
version: 1
smtp: { greetPause: 0, maxRecipients: 3 }
rcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }
`, 'repeat.yaml');

it('takes a repeated recipient once, without counting it toward maxRecipients', async () => {
  const delivered: AcceptedMessage[] = [];
  const server = createPolicyServer({
    policy: () => policy,
    store: memoryStore(async (m) => {
      delivered.push(m);
      return 'Q1';
    }),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<f@example.net>\r\n')).toMatch(/^250/);
    const first = await d.send('RCPT TO:<bob@acme.example>\r\n');
    expect(first).toMatch(/^250 /);
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toBe(first);
    expect(await d.send('RCPT TO:<BOB@acme.example>\r\n')).toBe(first);
    expect(await d.send('RCPT TO:<ann@acme.example>\r\n')).toMatch(/^250 /);
    expect(await d.send('RCPT TO:<carl@acme.example>\r\n')).toMatch(/^250 /);
    // The transaction is full now, but a repeat is still no new recipient.
    expect(await d.send('RCPT TO:<Ann@Acme.Example>\r\n')).toMatch(/^250 /);
    expect(await d.send('RCPT TO:<dave@acme.example>\r\n')).toMatch(/^452 4\.5\.3 /);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send('Subject: hi\r\n\r\nhi\r\n.\r\n')).toMatch(/^250/);
    expect(delivered[0]!.recipients.map((r) => r.address)).toEqual(['bob@acme.example', 'ann@acme.example', 'carl@acme.example']);
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
