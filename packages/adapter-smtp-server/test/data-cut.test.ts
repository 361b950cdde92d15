import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, type MessageStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const policy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
rcpt:
  rules:
    - id: all
      do: [ accept ]
`, 'cut.yaml');

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  for (const end = Date.now() + ms; !check(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

// A client that goes away in the middle of DATA must not leave the data hook waiting for an end
// that never comes (with its spool file open), nor leave anything stored.
it('settles the DATA hook and keeps nothing when the client goes away mid-DATA', async () => {
  const seen: string[] = [];
  const store: MessageStore = {
    async receive(data) {
      seen.push('receive');
      try {
        for await (const chunk of data as AsyncIterable<Buffer>) void chunk;
      } catch (err) {
        seen.push('receive-failed');
        throw err;
      }
      seen.push('received');
      return { source: { size: 0, open: () => data }, commit: async () => 'Q', discard: async () => void seen.push('discard') };
    },
  };
  const events: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => policy, store, log: (e) => events.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const dialog = await openDialog((server.server.address() as AddressInfo).port);
    await dialog.send('EHLO client.example\r\n');
    await dialog.send('MAIL FROM:<a@example.org>\r\n');
    await dialog.send('RCPT TO:<b@acme.example>\r\n');
    expect(await dialog.send('DATA\r\n')).toMatch(/^354/);
    dialog.write(`Subject: cut\r\n\r\n${'half a message\r\n'.repeat(2000)}`);
    await until(() => seen.includes('receive'));
    dialog.close();
    // The client's doing, not the gateway's: a data-aborted line, not an error-level one (which
    // every spam bot or idle-timed-out client dropping mid-DATA made).
    await until(() => events.some((e) => e.event === 'data-aborted'));
    expect(events.find((e) => e.event === 'data-aborted')).toMatchObject({ client: '127.0.0.1', session: expect.any(String), reason: 'the client went away in the middle of DATA' });
    expect(events.filter((e) => e.event === 'error')).toEqual([]);
    expect(seen).toEqual(['receive', 'receive-failed']);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
