/**
 * hardErrorLimit is the limit: smtp-server also hangs up at its own 10th unknown command, so a
 * policy with hardErrorLimit: 20 lost the client at 10 ('too many unrecognized commands',
 * logged as closed-by-gateway), whatever the admin had set.
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const policy = loadPolicy('version: 1\nsmtp: { hardErrorLimit: 20, greetPause: 0 }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n', 'limit.yaml');

it('answers unknown commands 500 up to the policy\'s hardErrorLimit, the last one too, then 421', async () => {
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1') });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    for (let i = 1; i <= 20; i++) expect(`${i}: ${await d.send(`FOO${i}\r\n`)}`).toMatch(new RegExp(`^${i}: 500 5\\.5\\.2 `));
    expect(await d.reply()).toMatch(/^421 4\.7\.0 Too many errors \(20\)/);
    await d.closed;
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

it('does not count 452 4.5.3 for recipients over maxRecipients: the client sends them later', async () => {
  const few = loadPolicy('version: 1\nsmtp: { maxRecipients: 3, hardErrorLimit: 4, greetPause: 0 }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n', 'few.yaml');
  const delivered: string[][] = [];
  const server = createPolicyServer({
    policy: () => few,
    store: memoryStore(async (m) => {
      delivered.push(m.recipients.map((r) => r.address));
      return 'Q1';
    }),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    await d.send('MAIL FROM:<a@example.org>\r\n');
    const replies: string[] = [];
    for (let i = 1; i <= 8; i++) replies.push((await d.send(`RCPT TO:<r${i}@acme.example>\r\n`)).slice(0, 9));
    expect(replies).toEqual([...Array(3).fill('250 2.1.5'), ...Array(5).fill('452 4.5.3')]);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send('Subject: hi\r\n\r\nhi\r\n.\r\n')).toMatch(/^250/);
    expect(delivered).toEqual([['r1@acme.example', 'r2@acme.example', 'r3@acme.example']]);
    // Other errors still count: the fourth one hangs up.
    for (let i = 1; i <= 4; i++) expect(await d.send(`FOO${i}\r\n`)).toMatch(/^500 /);
    expect(await d.reply()).toMatch(/^421 4\.7\.0 Too many errors \(4\)/);
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

it('gives the refused command that reaches the limit its own reply, then 421 and closes (the trial\'s hardErrorLimit: 5)', async () => {
  const five = loadPolicy(`version: 1
smtp: { hardErrorLimit: 5, greetPause: 0 }
rcpt:
  rules:
    - { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] }
    - { id: no-relay, do: [ { reject: { code: 550, status: 5.7.1, text: "Relaying denied" } } ] }
`, 'five.yaml');
  const server = createPolicyServer({ policy: () => five, store: memoryStore(async () => 'Q1') });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO x.example\r\n');
    for (const command of ['VRFY a', 'HELP', 'XYZ']) expect(await d.send(`${command}\r\n`)).toMatch(/^500 /);
    expect(await d.send('MAIL FROM:<a@example.net>\r\n')).toMatch(/^250 /);
    expect(await d.send('RCPT TO:<b@other.example>\r\n')).toBe('550 5.7.1 Relaying denied');
    expect(await d.send('RCPT TO:<c@other.example>\r\n')).toBe('550 5.7.1 Relaying denied');
    expect(await d.reply()).toMatch(/^421 4\.7\.0 Too many errors \(5\)/);
    await d.closed;
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
