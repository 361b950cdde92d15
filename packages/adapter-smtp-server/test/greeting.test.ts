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

it('answers a tempfail at connect with 421 instead of the greeting, status and text kept, and closes', async () => {
  const busy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
connect:
  rules:
    - { id: busy, when: { client: 127.0.0.1 }, do: [ { tempfail: { code: 451, status: 4.7.1, text: "Busy, try later" } } ] }
`, 'busy.yaml');
  const lines: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => busy, store: memoryStore(async () => 'Q1'), log: (e) => lines.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((server.server.address() as AddressInfo).port);
  try {
    expect(d.greeting).toBe('421 4.7.1 Busy, try later');
    await d.closed;
    // The decision line gives the reply as sent, the 421, not the rule's 451.
    expect(lines.find((l) => l.event === 'decision' && l.stage === 'connect')).toMatchObject({ verdict: 'tempfail', reply: { code: 421, status: '4.7.1', text: 'Busy, try later' } });
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
});

it('answers a failure of its own at connect with 421 too', async () => {
  const failing = createPolicyServer({
    policy: () => policy,
    store: memoryStore(async () => 'Q1'),
    // An internal failure at connect (a lookup that throws, say): the adapter's 451 4.3.0.
    log: (e) => {
      if (e.event === 'connect') throw new Error('log store down');
    },
  });
  await new Promise<void>((r) => failing.listen(0, '127.0.0.1', () => r()));
  const d = await openDialog((failing.server.address() as AddressInfo).port);
  try {
    expect(d.greeting).toBe('421 4.3.0 Temporary failure, please try again later');
    await d.closed;
  } finally {
    d.close();
    await new Promise<void>((r) => failing.close(() => r()));
  }
});

it('logs no reply on a connect decision the greeting follows (the policy\'s 250 OK is never sent)', async () => {
  const busy = loadPolicy(`
version: 1
smtp: { greetPause: 0 }
connect:
  rules:
    - { id: busy, when: { client: 192.0.2.1 }, do: [ { tempfail: { code: 451, status: 4.7.1, text: "Busy, try later" } } ] }
`, 'busy.yaml');
  const lines: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => busy, store: memoryStore(async () => 'Q1'), server: { name: 'mx.test' }, log: (e) => lines.push(e) });
  expect(await greeting(server)).toBe('220 mx.test ESMTP');
  const connect = lines.find((l) => l.event === 'decision' && l.stage === 'connect')!;
  expect(connect).toMatchObject({ verdict: 'accept' });
  expect(connect.reply).toBeUndefined();
});
