/**
 * A bounce quotes the header section in the form the refusing hop was sent (helper trial 37: a
 * hub offering neither 8BITMIME nor SMTPUTF8 was sent encoded words and a base64 body, and the
 * DSN quoted the raw UTF-8 headers with `Content-Transfer-Encoding: 8bit`); a recipient refused
 * before any hop was sent the message gets the rewritten headers, as they are.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually, startHub, type HubSink } from './hub-sink';

interface Got {
  to: string[];
  data: Buffer;
}

let dir: string;
let gw: RunningGateway;
let home: HubSink; // the sender's hub: gets the bounces
let seven: SMTPServer; // offers neither 8BITMIME nor SMTPUTF8; refuses rej* with 550, tmp* with 451
const sevenGot: Got[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-bounce-headers-'));
  home = await startHub();
  seven = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false, hide8BITMIME: true, hideSMTPUTF8: true,
    onRcptTo(address, _s, cb) {
      if (address.address.startsWith('rej')) return cb(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      if (address.address.startsWith('tmp')) return cb(Object.assign(new Error('4.2.1 Mailbox busy'), { responseCode: 451 }));
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        sevenGot.push({ to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks) });
        cb();
      });
    },
  });
  seven.on('error', () => undefined);
  await new Promise<void>((r) => seven.listen(0, '127.0.0.1', () => r()));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${home.port}`], routes: { 'seven.example': [`127.0.0.1:${(seven.server.address() as AddressInfo).port}`] } },
    // Given up on at its first temporary failure: the expiry bounce comes at once.
    queue: { scanPeriod: 50, resendPeriod: 60_000, abandonTime: 1, maxBackoff: 60_000 },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw?.stop(1000);
  await home?.close();
  if (seven) await new Promise<void>((r) => seven.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const MESSAGE = Buffer.from('From: "Jörg Müller" <a@example.org>\r\nSubject: Grüße aus Köln\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln, und noch ein paar Worte dazu.\r\n', 'utf8');

async function send(to: string[]): Promise<void> {
  const d = await openDialog(gw.addresses[0]!.port);
  try {
    await d.send('EHLO client.test\r\n');
    expect(await d.send('MAIL FROM:<a@example.org> BODY=8BITMIME SMTPUTF8\r\n')).toMatch(/^250/);
    for (const rcpt of to) expect(await d.send(Buffer.from(`RCPT TO:<${rcpt}>\r\n`, 'utf8'))).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send(Buffer.concat([MESSAGE, Buffer.from('.\r\n')]))).toMatch(/^250/);
    await d.send('QUIT\r\n');
  } finally {
    d.close();
  }
}

/** The bounce for `recipient` that the sender's hub got, as text. */
async function bounceFor(recipient: string): Promise<string> {
  // rfc822 for an ASCII address, utf-8 for a UTF-8 one (RFC 6533).
  const about = (r: { from: string; data: string }): boolean => r.from === '' && /Final-Recipient: (rfc822|utf-8); /.test(r.data) && r.data.includes(`; ${recipient}\r\n`);
  await eventually(() => home.received.some(about));
  return home.received.find(about)!.data;
}

/** The DSN's header part (text/rfc822-headers, or message/global-headers for UTF-8 ones): its type, its own header lines, and the header section it quotes. */
function quoted(dsn: string): { type: string; label: string; headers: string } {
  const m = /Content-Type: (text\/rfc822-headers|message\/global-headers)\r\n(.*?)\r\n([\s\S]*?)\r\n\r\n--=_mw_\w+--\r\n$/.exec(dsn);
  if (!m) throw new Error(`no header part in:\n${dsn}`);
  return { type: m[1]!, label: m[2]!, headers: m[3]! };
}

it('quotes the headers as the hop that refused a recipient was sent them: encoded words and the 7-bit label, not the raw UTF-8', async () => {
  await send(['ok@seven.example', 'rej1@seven.example']);
  await eventually(() => sevenGot.length === 1);
  const sent = sevenGot[0]!.data.toString('latin1');
  const sentHead = sent.slice(0, sent.indexOf('\r\n\r\n'));
  expect(sentHead).toContain('\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n');
  expect(sentHead).not.toContain('Content-Transfer-Encoding: 8bit');
  const part = quoted(await bounceFor('rej1@seven.example'));
  expect(part.type).toBe('text/rfc822-headers'); // 7-bit headers: no global type
  expect(part.label).toBe(''); // no Content-Transfer-Encoding: 8bit: nothing in it is
  expect(part.headers).toBe(sentHead);
});

it('quotes the 7-bit form also when the hop refused every recipient and was sent no message', async () => {
  await send(['rej2@seven.example']);
  const part = quoted(await bounceFor('rej2@seven.example'));
  expect(part.label).toBe('');
  expect(/[^\x00-\x7f]/.test(part.headers)).toBe(false);
  expect(part.headers).toContain('\r\nFrom: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <a@example.org>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n');
  expect(part.headers).toMatch(/\r\nContent-Transfer-Encoding: (base64|quoted-printable)$/m);
});

it('quotes the rewritten headers as they are for a recipient refused before the hop was sent anything', async () => {
  await send(['jörg@seven.example']); // a UTF-8 local part: 5.6.7, never given to a hop without SMTPUTF8
  const dsn = Buffer.from(await bounceFor('jörg@seven.example'), 'utf8').toString('utf8');
  expect(dsn).toContain('Status: 5.6.7');
  // The address and the headers in UTF-8: the global types of RFC 6533, 8bit.
  expect(dsn).toContain('Content-Type: message/global-delivery-status\r\nContent-Transfer-Encoding: 8bit\r\n');
  expect(dsn).toContain('Final-Recipient: utf-8; jörg@seven.example\r\n');
  const part = quoted(dsn);
  expect(part.type).toBe('message/global-headers');
  expect(part.label).toBe('Content-Transfer-Encoding: 8bit');
  expect(part.headers).toContain('\r\nSubject: Grüße aus Köln\r\n');
  expect(part.headers).toContain('\r\nContent-Transfer-Encoding: 8bit');
});

it('quotes the 7-bit form in a bounce at the abandon time, after a 4xx from that hop', async () => {
  await send(['tmp@seven.example']);
  const dsn = await bounceFor('tmp@seven.example');
  expect(dsn).toContain('Status: 4.4.7');
  const part = quoted(dsn);
  expect(part.label).toBe('');
  expect(part.headers).toContain('\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n');
});
