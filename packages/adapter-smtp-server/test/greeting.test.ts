import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\n', 'test.yaml');

async function greeting(server: SMTPServer): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  d.close();
  await d.closed;
  await new Promise<void>((r) => server.close(() => r()));
  return d.greeting;
}

it('greets with ESMTP once, and with the host banner after it', async () => {
  const store = memoryStore(async () => 'Q1');
  expect(await greeting(createPolicyServer({ policy: () => policy, store, server: { name: 'mx.test' } }))).toBe('220 mx.test ESMTP');
  expect(await greeting(createPolicyServer({ policy: () => policy, store, server: { name: 'mx.test', banner: 'Trial MTA' } }))).toBe('220 mx.test ESMTP Trial MTA');
});
