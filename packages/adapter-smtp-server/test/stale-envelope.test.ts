/**
 * RSET, HELO/EHLO and STARTTLS end the transaction, but the log lines after them still carried
 * its sender: after `MAIL FROM:<a@example.net>`, `RSET`, `EHLO y` the helo decision line said
 * `"sender":"a@example.net"` (trial 37, t4.txt).
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore, policyHooks } from '../src/index';
import { openDialog, type Dialog } from './smtp-dialog';
import { startTls, testCertificate } from './tls-dialog';

const policy = loadPolicy('version: 1\nsmtp: { greetPause: 0 }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n', 'stale.yaml');

async function dialogue(server: SMTPServer, talk: (d: Dialog) => Promise<Dialog>): Promise<void> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  let d: Dialog = await openDialog((server.server.address() as AddressInfo).port);
  try {
    d = await talk(d);
    await d.send('QUIT\r\n');
  } finally {
    d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
}

const heloLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l.event === 'decision' && l.stage === 'helo');

it('decides a new EHLO without the sender of the transaction it ended (RSET, a second EHLO, STARTTLS)', async () => {
  const lines: Record<string, unknown>[] = [];
  const server = createPolicyServer({ policy: () => policy, store: memoryStore(async () => 'Q1'), server: testCertificate(), log: (e) => lines.push(e) });
  await dialogue(server, async (d) => {
    await d.send('EHLO x\r\n');
    expect(await d.send('MAIL FROM:<a@example.net>\r\n')).toMatch(/^250 /);
    await d.send('RSET\r\n');
    expect(await d.send('RCPT TO:<b@test.example>\r\n')).toMatch(/^503 /);
    await d.send('EHLO y\r\n');
    expect(await d.send('MAIL FROM:<b@example.net>\r\n')).toMatch(/^250 /);
    await d.send('EHLO z\r\n');
    expect(await d.send('MAIL FROM:<c@example.net>\r\n')).toMatch(/^250 /);
    const secure = await startTls(d);
    await secure.send('EHLO z\r\n');
    return secure;
  });
  expect(heloLines(lines).map((l) => [l.helo, l.sender])).toEqual([['x', undefined], ['y', undefined], ['z', undefined], ['z', undefined]]);
});

it('decides the helo stage at MAIL FROM (policyHooks on a server of your own) without the previous sender', async () => {
  const lines: Record<string, unknown>[] = [];
  const { onConnect, onMailFrom, onRcptTo, onData } = policyHooks({ policy: () => policy, store: memoryStore(async () => 'Q1'), log: (e) => lines.push(e) });
  const server = new SMTPServer({ logger: false, authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], onConnect, onMailFrom, onRcptTo, onData });
  await dialogue(server, async (d) => {
    await d.send('EHLO x\r\n');
    expect(await d.send('MAIL FROM:<a@example.net>\r\n')).toMatch(/^250 /);
    await d.send('RSET\r\n');
    await d.send('EHLO y\r\n');
    expect(await d.send('MAIL FROM:<b@example.net>\r\n')).toMatch(/^250 /);
    return d;
  });
  expect(heloLines(lines).map((l) => [l.helo, l.sender])).toEqual([['x', undefined], ['y', undefined]]);
});
