/**
 * MAIL and RCPT take only the parameters of the extensions the EHLO reply offered (RFC 5321
 * 4.1.1.11): one of an extension not offered (AUTH without AUTH, DSN's, which is never offered),
 * or of none, is 555 5.5.4 naming it. smtp-server passes them all on, and they got 250.
 */
import type { AddressInfo } from 'node:net';
import { loadPolicy } from '@mailward/core';
import { SMTPServer } from 'smtp-server';
import { createPolicyServer, memoryStore, policyHooks, smtpServerOptions, type PolicyServerOptions } from '../src/index';
import { openDialog, type Dialog } from './smtp-dialog';
import { startTls, testCertificate } from './tls-dialog';

const policy = (smtp: string) => loadPolicy(`version: 1\nsmtp: { greetPause: 0, ${smtp} }\nrcpt: { rules: [ { id: all, do: [ accept ] } ] }\n`, 'params.yaml');

async function withServer(server: SMTPServer, talk: (open: (hello?: 'EHLO' | 'HELO') => Promise<Dialog>) => Promise<void>): Promise<void> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const opened: Dialog[] = [];
  try {
    await talk(async (hello = 'EHLO') => {
      const d = await openDialog((server.server.address() as AddressInfo).port);
      opened.push(d);
      expect(await d.send(`${hello} client.example\r\n`)).toMatch(/^250/);
      return d;
    });
  } finally {
    for (const d of opened) d.close();
    await new Promise<void>((r) => server.close(() => r()));
  }
}
const serve = (smtp: string, more: Partial<PolicyServerOptions> = {}): SMTPServer => {
  const p = policy(smtp);
  return createPolicyServer({ policy: () => p, store: memoryStore(async () => 'Q1'), ...more });
};

it('refuses AUTH=, the DSN parameters and unknown ones with 555 5.5.4, and takes those offered', async () => {
  const events: Record<string, unknown>[] = [];
  await withServer(serve('maxSize: 20KB', { log: (e) => events.push(e) }), async (open) => {
    const d = await open();
    for (const [param, named] of [
      ['AUTH=<>', 'AUTH= (AUTH is not offered here)'], ['AUTH=alice@acme.example', 'AUTH= (AUTH is not offered here)'],
      ['RET=HDRS', 'RET= (DSN is not offered here)'], ['ENVID=abc', 'ENVID= (DSN is not offered here)'],
      ['XYZZY=1', 'XYZZY= (no extension offered here takes it)'], ['XYZZY', 'XYZZY (no extension offered here takes it)'],
    ]) {
      expect(await d.send(`MAIL FROM:<a@example.org> ${param}\r\n`)).toBe(`555 5.5.4 Parameter not supported: ${named}`);
    }
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME SMTPUTF8\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<bob@acme.example> NOTIFY=NEVER\r\n')).toBe('555 5.5.4 Parameter not supported: NOTIFY= (DSN is not offered here)');
    expect(await d.send('RCPT TO:<bob@acme.example> ORCPT=rfc822;bob@acme.example\r\n')).toBe('555 5.5.4 Parameter not supported: ORCPT= (DSN is not offered here)');
    expect(await d.send('RCPT TO:<bob@acme.example> SIZE=100\r\n')).toBe('555 5.5.4 Parameter not supported: SIZE= (no extension offered here takes it)');
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toMatch(/^250/);
  });
  expect(events.filter((e) => e.event === 'hidden-keyword-refused')).toHaveLength(9);
});

it('takes SIZE= only where SIZE is offered, and BODY=8BITMIME only with 8BITMIME (BODY=7BIT always after EHLO)', async () => {
  await withServer(serve('hideKeywords: [8BITMIME]'), async (open) => {
    const d = await open();
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=100\r\n')).toBe('555 5.5.4 Parameter not supported: SIZE= (SIZE is not offered here)');
    expect(await d.send('MAIL FROM:<a@example.org> BODY=8BITMIME\r\n')).toBe('555 5.5.4 Parameter not supported: BODY= (8BITMIME is not offered here)');
    expect(await d.send('MAIL FROM:<a@example.org> BODY=7BIT\r\n')).toMatch(/^250/);
  });
});

it('takes AUTH= where AUTH is offered: under TLS on a listener with authenticate', async () => {
  await withServer(serve('maxSize: 20KB', { server: testCertificate(), authenticate: () => true }), async (open) => {
    const plain = await open();
    expect(await plain.send('MAIL FROM:<a@example.org> AUTH=<>\r\n')).toBe('555 5.5.4 Parameter not supported: AUTH= (AUTH is not offered here)');
    const d = await startTls(plain);
    expect(await d.send('EHLO client.example\r\n')).toMatch(/AUTH PLAIN/);
    expect(await d.send('MAIL FROM:<a@example.org> AUTH=<>\r\n')).toMatch(/^250/);
    d.close();
  });
});

it("refuses them too with policyHooks on a server of the host's own", async () => {
  const p = policy('hideKeywords: [AUTH]');
  const { onHelo: _, ...hooks } = policyHooks({ policy: () => p, store: memoryStore(async () => 'Q1') });
  const server = new SMTPServer({ logger: false, authOptional: true, ...smtpServerOptions(p, false), ...hooks });
  await withServer(server, async (open) => {
    const d = await open();
    expect(await d.send('MAIL FROM:<a@example.org> AUTH=<>\r\n')).toMatch(/^555 5\.5\.4 Parameter not supported: AUTH= /);
    expect(await d.send('MAIL FROM:<a@example.org> RET=FULL\r\n')).toMatch(/^555 5\.5\.4 Parameter not supported: RET= /);
    expect(await d.send('MAIL FROM:<a@example.org> XYZZY=1\r\n')).toMatch(/^555 5\.5\.4 Parameter not supported: XYZZY= /);
    expect(await d.send('MAIL FROM:<a@example.org> BODY=8BITMIME\r\n')).toMatch(/^250/);
    const plain = await open('HELO');
    expect(await plain.send('MAIL FROM:<a@example.org> BODY=8BITMIME\r\n')).toBe('555 5.5.4 Parameter not supported: BODY= (no extension is offered after HELO)');
  });
});

it('refuses every parameter after HELO, which offers no extension (BODY=7BIT too), and takes them again after EHLO', async () => {
  const events: Record<string, unknown>[] = [];
  await withServer(serve('maxSize: 20KB', { log: (e) => events.push(e) }), async (open) => {
    const d = await open('HELO');
    for (const param of ['BODY=8BITMIME', 'BODY=7BIT', 'SIZE=100', 'XYZZY=1']) {
      const name = param.split('=')[0];
      expect(await d.send(`MAIL FROM:<a@example.org> ${param}\r\n`)).toBe(`555 5.5.4 Parameter not supported: ${name}= (no extension is offered after HELO)`);
    }
    expect(await d.send('MAIL FROM:<a@example.org> SMTPUTF8\r\n')).toBe('555 5.5.4 Parameter not supported: SMTPUTF8 (no extension is offered after HELO)');
    expect(await d.send('MAIL FROM:<a@example.org>\r\n')).toMatch(/^250/);
    expect(await d.send('RCPT TO:<bob@acme.example> NOTIFY=NEVER\r\n')).toBe('555 5.5.4 Parameter not supported: NOTIFY= (no extension is offered after HELO)');
    expect(await d.send('RCPT TO:<bj\u00f6rn@acme.example>\r\n')).toBe('553 5.6.7 Non-ASCII address not permitted: SMTPUTF8 is not offered here');
    expect(await d.send('RCPT TO:<bob@acme.example>\r\n')).toMatch(/^250/);
    expect(await d.send('EHLO client.example\r\n')).toMatch(/^250/);
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME SMTPUTF8\r\n')).toMatch(/^250/);
    expect(await d.send('HELO client.example\r\n')).toMatch(/^250/);
    expect(await d.send('MAIL FROM:<a@example.org> SIZE=100\r\n')).toBe('555 5.5.4 Parameter not supported: SIZE= (no extension is offered after HELO)');
  });
  expect(events.filter((e) => e.event === 'hidden-keyword-refused')).toHaveLength(8);
});
