/**
 * A message goes to each hop in a form that hop offers (issue #4): an 8-bit body to a hop
 * without 8BITMIME is downgraded to 7 bit (RFC 6152 3), a recipient whose address needs SMTPUTF8
 * is bounced 5.6.7 where the hop lacks it (RFC 6531 3.2), never sent raw, UTF-8 header fields
 * are sent as encoded words (or bounced 5.6.9 where they cannot be); and after a failover
 * the second hop gets the form it needs, not the first one's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually } from './hub-sink';

interface Got {
  mailArgs: Record<string, string | boolean>;
  to: string[];
  data: Buffer;
}

/** A hub that keeps each transaction: MAIL FROM's parameters, recipients, the bytes. */
interface Hub {
  address: string;
  got: Got[];
  /** Every RCPT TO it was asked, taken or not. */
  asked: string[];
  /** Connections it was opened (a probe is one). */
  connections: number;
  server: SMTPServer;
}

async function startHub(options: Partial<SMTPServerOptions> = {}): Promise<Hub> {
  const hub: Hub = { address: '', got: [], asked: [], connections: 0, server: undefined as unknown as SMTPServer };
  hub.server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onConnect(_s, cb) {
      hub.connections++;
      cb();
    },
    onRcptTo(address, _s, cb) {
      hub.asked.push(address.address);
      cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const args = session.envelope.mailFrom ? ((session.envelope.mailFrom.args || {}) as Record<string, string | boolean>) : {};
        hub.got.push({ mailArgs: args, to: session.envelope.rcptTo.map((r) => r.address), data: Buffer.concat(chunks) });
        cb();
      });
    },
    ...options,
  });
  hub.server.on('error', () => undefined);
  await new Promise<void>((r) => hub.server.listen(0, '127.0.0.1', () => r()));
  hub.address = `127.0.0.1:${(hub.server.server.address() as AddressInfo).port}`;
  return hub;
}

let dir: string;
let gw: RunningGateway;
let full: Hub; // 8BITMIME and SMTPUTF8, as smtp-server offers by default
let seven: Hub; // neither
let noUtf8: Hub; // 8BITMIME only
let flaky: Hub; // 8BITMIME, but every transaction fails with a 421 (the next hub is tried)
const flakyMailArgs: Record<string, string | boolean>[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-hop-ext-'));
  full = await startHub();
  seven = await startHub({ hide8BITMIME: true, hideSMTPUTF8: true });
  noUtf8 = await startHub({ hideSMTPUTF8: true });
  flaky = await startHub({
    onMailFrom(address, _s, cb) {
      flakyMailArgs.push((address.args || {}) as Record<string, string | boolean>);
      cb(Object.assign(new Error('4.3.2 Shutting down, try another'), { responseCode: 421 }));
    },
  });
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: {
      mode: 'smtp', hubs: [full.address],
      routes: { 'seven.example': [seven.address], 'nutf8.example': [noUtf8.address], 'failover.example': [flaky.address, seven.address] },
    },
  }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw?.stop(1000);
  for (const hub of [full, seven, noUtf8, flaky]) if (hub) await new Promise<void>((r) => hub.server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

async function send(mailFrom: string, to: string[], message: Buffer): Promise<void> {
  const d = await openDialog(gw.addresses[0]!.port);
  try {
    await d.send('EHLO client.test\r\n');
    expect(await d.send(`${mailFrom}\r\n`)).toMatch(/^250/);
    for (const rcpt of to) expect(await d.send(Buffer.from(`RCPT TO:<${rcpt}>\r\n`, 'utf8'))).toMatch(/^250/);
    expect(await d.send('DATA\r\n')).toMatch(/^354/);
    expect(await d.send(Buffer.concat([message, Buffer.from('.\r\n')]))).toMatch(/^250/);
    await d.send('QUIT\r\n');
  } finally {
    d.close();
  }
}

const crlf = (s: string): Buffer => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');

const EIGHT_BIT = crlf(`From: a@example.org
Subject: eight
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Grüße aus Köln, und noch ein paar Worte dazu.
--b1
Content-Type: text/plain; charset=us-ascii

plain ascii
--b1
Content-Type: application/octet-stream
Content-Transfer-Encoding: binary

\u00e9\u00ff\u00fe
--b1--
`);

/** Each part as Python's email decodes it: type and body (hex). */
function pythonParts(message: Buffer): unknown {
  const file = join(dir, `p${Date.now()}.eml`);
  writeFileSync(file, message);
  const script = 'import email,email.policy,json,sys\nm=email.message_from_binary_file(open(sys.argv[1],"rb"),policy=email.policy.default)\nprint(json.dumps([[p.get_content_type(),None if p.is_multipart() else (p.get_payload(decode=True) or b"").hex()] for p in m.walk()]))';
  return JSON.parse(execFileSync('python3', ['-c', script, file]).toString());
}

it('downgrades an 8-bit body to 7 bit for a hub without 8BITMIME, and gives it unchanged with BODY=8BITMIME to one with it', async () => {
  await send('MAIL FROM:<a@example.org> BODY=8BITMIME', ['b@acme.example', 'c@seven.example'], EIGHT_BIT);
  await eventually(() => full.got.length === 1 && seven.got.length === 1);
  const [asIs, downgraded] = [full.got[0]!, seven.got[0]!];
  expect(asIs.mailArgs.BODY).toBe('8BITMIME');
  expect(asIs.data.subarray(asIs.data.length - EIGHT_BIT.length).equals(EIGHT_BIT)).toBe(true);
  expect(downgraded.mailArgs.BODY).toBeUndefined();
  expect(downgraded.data.every((b) => b < 0x80)).toBe(true);
  expect(downgraded.data.toString()).toContain('Content-Type: text/plain; charset=us-ascii\r\n\r\nplain ascii\r\n--b1');
  expect(pythonParts(downgraded.data)).toEqual(pythonParts(EIGHT_BIT));
});

it('sends a 7-bit message without asking a new hub what it offers', async () => {
  const before = noUtf8.connections;
  await send('MAIL FROM:<a@example.org> BODY=8BITMIME', ['plain@nutf8.example'], crlf('Subject: ascii\n\nonly ASCII here\n'));
  await eventually(() => noUtf8.got.some((g) => g.to.includes('plain@nutf8.example')));
  expect(noUtf8.connections - before).toBe(1);
});

it('bounces a UTF-8 local part 5.6.7 where the hub offers no SMTPUTF8, delivers the rest, and uses SMTPUTF8 where it does', async () => {
  full.got.length = 0;
  noUtf8.got.length = 0;
  await send('MAIL FROM:<a@example.org> SMTPUTF8', ['jörg@nutf8.example', 'ascii@nutf8.example', 'jörg@acme.example'], crlf('Subject: hallo\n\nhi\n'));
  await eventually(() => noUtf8.got.length === 1 && full.got.length === 2);
  expect(noUtf8.got[0]!.to).toEqual(['ascii@nutf8.example']);
  expect(noUtf8.asked).not.toContain('jörg@nutf8.example'); // never sent raw
  const utf8 = full.got.find((g) => g.to.includes('jörg@acme.example'))!;
  expect(utf8.mailArgs.SMTPUTF8).toBe(true);
  const dsn = full.got.find((g) => g.to.includes('a@example.org'))!.data.toString().replace(/\r\n[ \t]+/g, ' '); // fields unfolded
  // A UTF-8 address has the utf-8 type, in message/global-delivery-status (RFC 6533).
  expect(dsn).toContain('Content-Type: message/global-delivery-status\r\nContent-Transfer-Encoding: 8bit\r\n');
  expect(dsn).toMatch(/Final-Recipient: utf-8; jörg@nutf8\.example\r\nAction: failed\r\nStatus: 5\.6\.7\r\nDiagnostic-Code: X-Mailward; non-ASCII address not permitted for that recipient/);
  expect(dsn).not.toContain('Final-Recipient: rfc822; ascii@nutf8.example');
});

it('sends UTF-8 header fields as encoded words to a hub without SMTPUTF8, the 8-bit body as it was', async () => {
  noUtf8.got.length = 0;
  const message = crlf('From: "Jörg Müller" <a@example.org>\nSubject: Grüße aus Köln\nContent-Type: text/plain; charset=utf-8\n\nGrüße\n');
  await send('MAIL FROM:<a@example.org> BODY=8BITMIME', ['h@nutf8.example'], message);
  await eventually(() => noUtf8.got.length === 1);
  const got = noUtf8.got[0]!;
  const head = got.data.subarray(0, got.data.indexOf('\r\n\r\n'));
  expect(head.every((b) => b < 0x80)).toBe(true);
  expect(head.toString()).toContain('\r\nFrom: =?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <a@example.org>\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?=\r\n');
  expect(got.data.toString('utf8').endsWith('\r\n\r\nGrüße\r\n')).toBe(true);
  expect(got.mailArgs.BODY).toBe('8BITMIME');
});

it('bounces 5.6.9 a message with a UTF-8 address in its headers to a hub without SMTPUTF8', async () => {
  full.got.length = 0;
  const before = noUtf8.got.length;
  await send('MAIL FROM:<a@example.org> BODY=8BITMIME', ['h@nutf8.example'], crlf('From: jörg@example.org\nSubject: hi\n\nhi\n'));
  await eventually(() => full.got.length === 1);
  expect(full.got[0]!.data.toString()).toMatch(/Final-Recipient: rfc822; h@nutf8\.example\r\nAction: failed\r\nStatus: 5\.6\.9\r\nDiagnostic-Code: X-Mailward; message header From in UTF-8 not permitted/);
  expect(noUtf8.got.length).toBe(before);
});

it('gives the 7-bit form to a hub without 8BITMIME that the message fails over to', async () => {
  seven.got.length = 0;
  await send('MAIL FROM:<a@example.org> BODY=8BITMIME', ['d@failover.example'], EIGHT_BIT);
  await eventually(() => seven.got.length === 1);
  expect(flakyMailArgs.at(-1)?.BODY).toBe('8BITMIME'); // the first hub was offered it as 8-bit
  const got = seven.got[0]!;
  expect(got.mailArgs.BODY).toBeUndefined();
  expect(got.data.every((b) => b < 0x80)).toBe(true);
  expect(pythonParts(got.data)).toEqual(pythonParts(EIGHT_BIT));
});
