/**
 * A message over the size limit is read to its final dot and refused (552), but the store is
 * not handed what follows the limit: memoryStore held every byte of a 150 MB DATA against a
 * 20 KB maxSize (300 MB of memory) before the 552, and the spool wrote it all to disk.
 */
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { loadPolicy } from '@mailward/core';
import type { SMTPServerOptions } from 'smtp-server';
import { createPolicyServer, type MessageStore } from '../src/index';
import { openDialog } from './smtp-dialog';

/** A store that counts what it is given, and keeps nothing. */
function countingStore(): MessageStore & { bytes: number; discarded: number } {
  const store = {
    bytes: 0,
    discarded: 0,
    async receive(data: Readable) {
      for await (const chunk of data as AsyncIterable<Buffer>) store.bytes += chunk.length;
      return {
        source: { size: store.bytes, open: () => data },
        commit: async () => 'Q1',
        discard: async () => void store.discarded++,
      };
    },
  };
  return store;
}

async function sendBig(smtp: string, server: Partial<SMTPServerOptions>, megabytes: number): Promise<{ reply: string; store: ReturnType<typeof countingStore> }> {
  const policy = loadPolicy(`version: 1\nsmtp: { greetPause: 0${smtp} }\nrcpt: { default: accept }\n`, 'big.yaml');
  const store = countingStore();
  const s = createPolicyServer({ policy: () => policy, store, server });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((s.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    await d.send('MAIL FROM:<a@example.org>\r\n');
    await d.send('RCPT TO:<bob@acme.example>\r\n');
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    const megabyte = Buffer.from(`${'z'.repeat(76)}\r\n`.repeat(13_443));
    for (let i = 0; i < megabytes; i++) if (!d.socket.write(megabyte)) await new Promise((r) => d.socket.once('drain', r));
    return { reply: await d.send('\r\n.\r\n'), store };
  } finally {
    d.close();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

it("stops handing DATA to the store past the policy's maxSize", async () => {
  const { reply, store } = await sendBig(', maxSize: 20KB', {}, 8);
  expect(reply).toBe('552 5.3.4 Message exceeds the maximum size of 20480 bytes');
  // The limit, and at most the chunk that crossed it.
  expect(store.bytes).toBeLessThanOrEqual(20 * 1024);
  expect(store.discarded).toBe(1);
});

it("and past the host's own size where the policy sets none", async () => {
  const { reply, store } = await sendBig('', { size: 20 * 1024 }, 4);
  expect(reply).toBe('552 5.3.4 Message exceeds the maximum message size');
  expect(store.bytes).toBeLessThan(200 * 1024);
  expect(store.discarded).toBe(1);
});
