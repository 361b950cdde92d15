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

it('answers unknown commands 500 up to the policy\'s hardErrorLimit, then 421', async () => {
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1') });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    await d.send('EHLO client.example\r\n');
    for (let i = 1; i < 20; i++) expect(`${i}: ${await d.send(`FOO${i}\r\n`)}`).toMatch(new RegExp(`^${i}: 500 5\\.5\\.2 `));
    expect(await d.send('FOO20\r\n')).toMatch(/^421 4\.7\.0 Too many errors \(20\)/);
    await d.closed;
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});
