/**
 * A DSN with RFC 6533's global parts (a UTF-8 recipient's) goes 8bit on an SMTPUTF8 return
 * path and 7-bit to one without SMTPUTF8, even one that offers 8BITMIME: RFC 6533 6 requires
 * the status and headers to be encoded base64 or quoted-printable there.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually, startHub, type HubSink } from './hub-sink';
import { dsnParts, fromQuotedPrintable } from './support/dsn-parts';

let dir: string;
let gw: RunningGateway;
let hub: HubSink; // SMTPUTF8: refuses the UTF-8 recipients, gets the bounces to utf8.example
let eight: SMTPServer; // 8BITMIME but no SMTPUTF8: gets the bounces to eight.example
const eightGot: { data: Buffer; body8: boolean }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-dsn-return-'));
  hub = await startHub();
  eight = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, hideSMTPUTF8: true,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        eightGot.push({ data: Buffer.concat(chunks), body8: session.envelope.bodyType === '8bitmime' });
        cb();
      });
    },
  });
  eight.on('error', () => undefined);
  await new Promise<void>((r) => eight.listen(0, '127.0.0.1', () => r()));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], routes: { 'eight.example': [`127.0.0.1:${(eight.server.address() as AddressInfo).port}`] }, timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 60_000, abandonTime: 60_000, maxBackoff: 60_000 },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw?.stop(1000);
  await hub?.close();
  if (eight) await new Promise<void>((r) => eight.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function send(from: string, to: string): Promise<void> {
  const d = await openDialog(gw.addresses[0]!.port);
  try {
    await d.send('EHLO client.test\r\n');
    expect(await d.send(`MAIL FROM:<${from}> SMTPUTF8\r\n`)).toMatch(/^250/);
    expect(await d.send(Buffer.from(`RCPT TO:<${to}>\r\n`, 'utf8'))).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send(Buffer.from('Subject: Grüße\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nHallo\r\n.\r\n', 'utf8'))).toMatch(/^250/);
    await d.send('QUIT\r\n');
  } finally {
    d.close();
  }
}

it('sends the global parts 8bit where the return path offers SMTPUTF8', async () => {
  hub.refuse.add('ü@acme.example');
  await send('penny@utf8.example', 'ü@acme.example');
  await eventually(() => hub.received.some((r) => r.from === '' && r.to.includes('penny@utf8.example')));
  const dsn = Buffer.from(hub.received.find((r) => r.from === '' && r.to.includes('penny@utf8.example'))!.data, 'utf8');
  const parts = await dsnParts(dsn);
  expect(parts.map((p) => [p.type, p.encoding])).toEqual([
    ['multipart/report', '7bit'], ['text/plain', '8bit'], ['message/global-delivery-status', '8bit'], ['message/global-headers', '8bit'],
  ]);
  expect(parts[2]!.body.toString('utf8')).toContain('Final-Recipient: utf-8; ü@acme.example\r\n');
});

it('encodes them, and sends no 8-bit octet, where the return path offers 8BITMIME but not SMTPUTF8', async () => {
  hub.refuse.add('jörg@acme.example');
  await send('penny@eight.example', 'jörg@acme.example');
  await eventually(() => eightGot.length === 1);
  const { data, body8 } = eightGot[0]!;
  expect(data.some((b) => b >= 0x80)).toBe(false);
  expect(body8).toBe(false);
  const parts = await dsnParts(data);
  expect(parts.map((p) => p.type)).toEqual(['multipart/report', 'text/plain', 'message/global-delivery-status', 'message/global-headers']);
  const decoded = (i: number): string => {
    const p = parts[i]!;
    expect(['quoted-printable', 'base64']).toContain(p.encoding);
    return (p.encoding === 'base64' ? Buffer.from(p.body.toString('latin1'), 'base64') : fromQuotedPrintable(p.body)).toString('utf8');
  };
  expect(decoded(2)).toContain('Final-Recipient: utf-8; jörg@acme.example\r\nAction: failed\r\nStatus: 5.1.1\r\n');
  expect(decoded(3)).toContain('Subject: Grüße\r\n');
});
