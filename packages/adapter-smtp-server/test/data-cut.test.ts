import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore, type MessageStore } from '../src/index';
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

// Trial 37: an idle timeout in the middle of DATA was logged as the client going away, and after
// the session's close line (reason idle-timeout), as if it came after the session.
it('says an idle timeout cut DATA, before the close line', async () => {
  const idle = loadPolicy('version: 1\nsmtp: { greetPause: 0, idleTimeout: 1s }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n', 'idle.yaml');
  const events: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => idle, store: memoryStore(async () => 'Q1'), log: (e) => events.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const dialog = await openDialog((server.server.address() as AddressInfo).port);
    await dialog.send('EHLO client.example\r\n');
    await dialog.send('MAIL FROM:<a@example.org>\r\n');
    await dialog.send('RCPT TO:<b@acme.example>\r\n');
    expect(await dialog.send('DATA\r\n')).toMatch(/^354/);
    dialog.write('Subject: slow\r\n\r\nand then nothing');
    expect(await dialog.reply()).toMatch(/^421 .*Timeout/);
    await dialog.closed;
    await until(() => events.some((e) => e.event === 'close'));
    const session = events.find((e) => e.event === 'close')!.session;
    expect(events.filter((e) => e.event === 'data-aborted' || e.event === 'close').map((e) => [e.event, e.session, e.reason])).toEqual([
      ['data-aborted', session, 'the client sent nothing for the idle timeout in the middle of DATA'],
      ['close', session, 'idle-timeout'],
    ]);
    expect(events.find((e) => e.event === 'data-aborted')).toMatchObject({ sender: 'a@example.org', recipients: ['b@acme.example'] });
    // Nothing comes after the close line (the readers' failure is not logged a second time).
    await new Promise((r) => setTimeout(r, 100));
    expect(events.at(-1)?.event).toBe('close');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
