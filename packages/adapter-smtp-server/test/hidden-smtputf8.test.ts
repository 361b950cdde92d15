/**
 * With SMTPUTF8 hidden, a client that uses it anyway is refused: not only its SMTPUTF8
 * parameter but the non-ASCII address itself (RFC 6531: only with the extension). smtp-server
 * takes UTF-8 addresses whatever it offers, so such an address was accepted and relayed on. The
 * parameter, which has no value, is named as sent (SMTPUTF8, not SMTPUTF8=).
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import type { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore } from '../src/index';
import { openDialog } from './smtp-dialog';

const policy = (hide: string) => loadPolicy(`version: 1\nsmtp: { hideKeywords: [${hide}], greetPause: 0 }\nrcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }\n`, 'utf8.yaml');

async function serve(hide: string): Promise<{ server: SMTPServer; port: number; events: Record<string, unknown>[] }> {
  const p = policy(hide);
  const events: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => p, store: memoryStore(async () => 'Q1'), log: (e) => events.push(e) });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.server.address() as AddressInfo).port, events };
}
const close = (s: SMTPServer) => new Promise<void>((r) => s.close(() => r()));
const line = (text: string) => Buffer.from(`${text}\r\n`, 'utf8');

it('refuses a non-ASCII sender or recipient when SMTPUTF8 is hidden (553 5.6.7), and takes ASCII ones', async () => {
  const { server, port, events } = await serve('SMTPUTF8');
  const d = await openDialog(port);
  try {
    expect(await d.send('EHLO client.example\r\n')).not.toMatch(/SMTPUTF8/);
    expect(await d.send(line('MAIL FROM:<jürgen@example.org>'))).toMatch(/^553 5\.6\.7 .*SMTPUTF8 is not offered here/);
    expect(await d.send('MAIL FROM:<a@example.org> SMTPUTF8\r\n')).toMatch(/^555 5\.5\.4 Parameter not supported: SMTPUTF8 \(SMTPUTF8 is not offered here\)/);
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    expect(await d.send(line('RCPT TO:<jürgen@acme.example>'))).toMatch(/^553 5\.6\.7 /);
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toMatch(/^250/);
  } finally {
    d.close();
    await close(server);
  }
  expect(events.filter((e) => e.event === 'hidden-keyword-refused').map((e) => e.command)).toEqual(['MAIL', 'MAIL', 'RCPT']);
});

it('takes them with SMTPUTF8 offered and used', async () => {
  const { server, port } = await serve('DSN');
  const d = await openDialog(port);
  try {
    expect(await d.send('EHLO client.example\r\n')).toMatch(/SMTPUTF8/);
    expect(await d.send(line('MAIL FROM:<jürgen@example.org> SMTPUTF8'))).toMatch(/^250/);
    expect(await d.send(line('RCPT TO:<jürgen@acme.example>'))).toMatch(/^250/);
  } finally {
    d.close();
    await close(server);
  }
});
