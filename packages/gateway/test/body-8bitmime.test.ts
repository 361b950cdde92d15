/**
 * A message the client sent as BODY=8BITMIME goes on to the hub as BODY=8BITMIME (RFC 6152: 8-bit
 * data only in an 8BITMIME transaction); one sent without it goes on without it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually } from './hub-sink';

let dir: string;
let gw: RunningGateway;
let hub: SMTPServer;
const seen: { subject: string; body: string | undefined; text: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-8bitmime-'));
  hub = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onRcptTo(address, _session, cb) {
      if (address.address === 'gone@acme.example') return cb(Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }));
      cb();
    },
    onData(stream, session, cb) {
      let text = '';
      stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
      stream.on('end', () => {
        const args = session.envelope.mailFrom ? (session.envelope.mailFrom.args as Record<string, string> | false) : false;
        seen.push({ subject: /^Subject: (.*)$/m.exec(text)?.[1]?.trim() ?? '', body: args ? args.BODY : undefined, text });
        cb();
      });
    },
  });
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${(hub.server.address() as AddressInfo).port}`] },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw?.stop(1000);
  await new Promise<void>((r) => hub.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function send(mailFrom: string, subject: string, body: string, to = 'b@acme.example'): Promise<void> {
  const d = await openDialog(gw.addresses[0]!.port);
  try {
    await d.send('EHLO client.test\r\n');
    expect(await d.send(`${mailFrom}\r\n`)).toMatch(/^250/);
    expect(await d.send(`RCPT TO:<${to}>\r\n`)).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send(Buffer.from(`Subject: ${subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n.\r\n`, 'utf8'))).toMatch(/^250/);
    await d.send('QUIT\r\n');
  } finally {
    d.close();
  }
}

it('passes BODY=8BITMIME on to the hub, and nothing when the client declared none', async () => {
  await send('MAIL FROM:<a@example.org> BODY=8BITMIME', 'eight', 'Grüße');
  await send('MAIL FROM:<a@example.org>', 'seven', 'plain');
  await eventually(() => seen.length === 2);
  expect(seen.sort((x, y) => x.subject.localeCompare(y.subject)).map(({ subject, body }) => ({ subject, body }))).toEqual([{ subject: 'eight', body: '8BITMIME' }, { subject: 'seven', body: undefined }]);
});

it('bounces a message with a UTF-8 subject with its subject readable, as BODY=8BITMIME', async () => {
  seen.length = 0;
  await send('MAIL FROM:<a@example.org> BODY=8BITMIME', 'Grüße aus Köln', 'Hallo', 'gone@acme.example');
  await eventually(() => seen.length === 1);
  expect(seen[0]).toMatchObject({ subject: 'Undelivered Mail Returned to Sender', body: '8BITMIME' });
  expect(seen[0]!.text).toMatch(/Content-Type: message\/global-headers\r\nContent-Transfer-Encoding: 8bit\r\n\r\n[^]*\r\nSubject: Grüße aus Köln\r\n/); // UTF-8 headers: RFC 6533's type
});
