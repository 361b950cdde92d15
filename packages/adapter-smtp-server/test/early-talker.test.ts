/**
 * greetPause: a client that talks before the banner is refused (421) and its close line names
 * it, after a connect line (there was none: onConnect never runs for it). smtp-server fills the session's addresses in only when it greets, so the line of an early
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
    // The close line comes a turn after the socket's close.
    for (let i = 0; i < 100 && !lines.some((l) => l.event === 'close'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(lines.find((l) => l.event === 'close')).toMatchObject({ client: '127.0.0.1', listener: { name: 'mx', address: '127.0.0.1', port }, reason: 'early-talker' });
    // Each connection has connect ... close (docs/gateway.md), an early talker's too.
    const session = lines.find((l) => l.event === 'close')!.session;
    expect(lines.map((l) => l.event)).toEqual(['connect', 'close']);
    expect(lines[0]).toMatchObject({ event: 'connect', session, client: '127.0.0.1', listener: { name: 'mx', address: '127.0.0.1', port } });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
