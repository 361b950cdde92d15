/**
 * greetPause: a client that talks before the banner is refused (421) and its close line names
 * it. smtp-server fills the session's addresses in only when it greets, so the line of an early
 * talker (the client a blocklist or fail2ban wants) had no client and no listener address.
 */
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { createPolicyServer, memoryStore } from '../src/index';

const policy = loadPolicy('version: 1\nsmtp: { greetPause: 300ms }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n', 'early.yaml');

it('refuses a client that talks first, and logs who it was', async () => {
  const lines: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), listener: 'mx', log: (e) => lines.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  try {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => socket.write('EHLO early.example\r\n'));
    let answer = '';
    socket.on('data', (d) => (answer += d));
    await new Promise((r) => socket.on('close', r));
    expect(answer).toMatch(/^421 .*talk too soon/);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines.find((l) => l.event === 'close')).toMatchObject({ client: '127.0.0.1', listener: { name: 'mx', address: '127.0.0.1', port }, reason: 'early-talker' });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
