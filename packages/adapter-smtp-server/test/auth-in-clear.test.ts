import { connect, type AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';
import { attempted } from '../src/auth-in-clear';
import { dialogOver } from './smtp-dialog';

const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\nrcpt: { default: accept }\n', 'p.yaml');

it('refuses AUTH in clear with 538 and logs its method and user, never the password (trial: neither was logged)', async () => {
  const logged: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q'), authenticate: () => true, log: (e) => logged.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const d = dialogOver(connect((server.server.address() as AddressInfo).port, '127.0.0.1'));
    await d.reply();
    await d.send('EHLO client.example.net\r\n');
    const plain = Buffer.from('\0alice\0S3cret!').toString('base64');
    expect(await d.send(`AUTH PLAIN ${plain}\r\n`)).toMatch(/^538 5\.7\.0 /);
    d.close();
    const line = logged.find((e) => e.event === 'auth');
    expect(line).toMatchObject({ method: 'PLAIN', user: 'alice', outcome: 'cleartext-refused' });
    expect(JSON.stringify(line)).not.toContain('S3cret');
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});

it('reads the method and the user of an initial response', () => {
  expect(attempted('AUTH login')).toEqual({ method: 'LOGIN' });
  expect(attempted(`AUTH LOGIN ${Buffer.from('bob').toString('base64')}`)).toEqual({ method: 'LOGIN', user: 'bob' });
  expect(attempted('AUTH PLAIN =')).toEqual({ method: 'PLAIN' });
  expect(attempted('AUTH')).toEqual({});
});
