import { connect, type AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore, type AcceptedMessage } from '../src/index';
import { dialogOver } from './smtp-dialog';

// RFC 5321 4.5.1: RCPT TO:<Postmaster>, with no domain, must be taken. An anti-relay policy
// (only our domains) refused it: it has no domain to be ours.
const policy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
rcpt:
  default: { reject: { code: 550, status: 5.7.1, text: Relaying denied } }
  rules:
    - { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] }
`, 'ours.yaml');

async function session(postmaster: string | undefined, lines: string[]): Promise<{ replies: string[]; kept: AcceptedMessage[]; logged: Record<string, unknown>[] }> {
  const kept: AcceptedMessage[] = [];
  const logged: Record<string, unknown>[] = [];
  const server = createPolicyServer({
    policy: () => policy, ...(postmaster ? { postmaster } : {}), log: (e) => logged.push(e),
    store: memoryStore(async (m) => (kept.push(m), 'Q1')),
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const d = dialogOver(connect((server.server.address() as AddressInfo).port, '127.0.0.1'));
    await d.reply();
    const replies: string[] = [];
    for (const line of lines) replies.push(await d.send(`${line}\r\n`));
    d.close();
    return { replies, kept, logged };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const dialog = ['EHLO client.example.net', 'MAIL FROM:<fred@example.net>', 'RCPT TO:<PostMaster>', 'RCPT TO:<postmaster@acme.example>', 'DATA', 'Subject: hi\r\n\r\nhello\r\n.'];

it('takes RCPT TO:<Postmaster> in any case for the postmaster mailbox, decided and kept as that address', async () => {
  const { replies, kept, logged } = await session('postmaster@acme.example', dialog);
  expect(replies.slice(1)).toEqual([
    expect.stringMatching(/^250 /), expect.stringMatching(/^250 /), expect.stringMatching(/^250 /), expect.stringMatching(/^354 /), expect.stringMatching(/^250 .*queued as Q1/),
  ]);
  // The alias and the address it stands for are one recipient: one copy.
  expect(kept).toHaveLength(1);
  expect(kept[0]!.recipients.map((r) => r.address)).toEqual(['postmaster@acme.example']);
  expect(logged).toContainEqual(expect.objectContaining({ event: 'decision', stage: 'rcpt', recipient: 'postmaster@acme.example', addressedAs: 'PostMaster', verdict: 'accept' }));
});

it('leaves Postmaster to the policy without a postmaster mailbox, and other bare names always', async () => {
  const without = await session(undefined, dialog.slice(0, 3));
  expect(without.replies[2]).toMatch(/^550 5\.7\.1 Relaying denied/);
  const other = await session('postmaster@acme.example', ['EHLO client.example.net', 'MAIL FROM:<fred@example.net>', 'RCPT TO:<abuse>']);
  // smtp-server takes no other address without a domain.
  expect(other.replies[2]).toMatch(/^501 5\.5\.4 /);
});
