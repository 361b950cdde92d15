/**
 * A real Haraka 3.3 process (nodes=0, free port) with haraka-plugin-mailward installed from
 * node_modules and queue/smtp_forward delivering to an smtp-server sink: the scenarios the
 * gateway is tested with, seen from an SMTP client.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarakaProcess, buildPlugin } from './support/haraka-process';
import { Sink } from './support/sink';
import { SmtpDialog } from './support/smtp-dialog';
import { exeMessage, textMessage } from './fixtures/messages';

const POLICY = fs.readFileSync(path.join(__dirname, 'fixtures/e2e-policy.yaml'), 'utf8');
const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

let sink: Sink;
let haraka: HarakaProcess;

beforeAll(async () => {
  await buildPlugin();
  sink = await Sink.start();
  haraka = await HarakaProcess.start({
    plugins: ['mailward', 'queue/quarantine', 'queue/smtp_forward'],
    mailwardYaml: 'policy: policy.yaml\nsecret: e2e-secret\npostmaster: postmaster@acme.example\n',
    policy: POLICY,
    sinkPort: sink.port,
  });
}, 120_000);

afterAll(async () => {
  await haraka?.stop();
  await sink?.stop();
});

/** Opens a session, says EHLO, sends MAIL FROM. */
async function session(from: string): Promise<SmtpDialog> {
  const { dialog, greeting } = await SmtpDialog.open(haraka.port);
  expect(greeting.code).toBe(220);
  expect((await dialog.command('EHLO client.example.org')).code).toBe(250);
  expect((await dialog.command(`MAIL FROM:<${from}>`)).code).toBe(250);
  return dialog;
}

/** Sends one message to al@acme.example and returns the reply to the final dot. */
async function send(from: string, message: string): Promise<number> {
  const dialog = await session(from);
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  const { end } = await dialog.data(crlf(message));
  await dialog.close();
  return end!.code;
}

/** The next message the sink gets (messages are delivered in order, one per transaction). */
async function nextDelivered(): Promise<string> {
  const seen = sink.messages.length;
  const all = await sink.waitFor(seen + 1);
  return all[seen]!.raw.toString('utf8');
}

it('anti-relay: refuses other domains with the policy reply, per recipient', async () => {
  const dialog = await session('penny@example.org');
  const foreign = await dialog.command('RCPT TO:<victim@elsewhere.example>');
  expect(foreign.code).toBe(550);
  expect(foreign.text).toContain('5.7.1 Relaying denied');
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  await dialog.close();
});

it('hidden keywords: absent from EHLO and refused when used anyway', async () => {
  const { dialog } = await SmtpDialog.open(haraka.port);
  const ehlo = await dialog.command('EHLO client.example.org');
  expect(ehlo.lines).toContain('PIPELINING');
  expect(ehlo.lines.some((l) => /^(SMTPUTF8|AUTH|DSN|ETRN)\b/.test(l))).toBe(false);
  expect((await dialog.command('ETRN acme.example')).code).toBe(502);
  expect((await dialog.command('AUTH PLAIN dGVzdAB0ZXN0AHRlc3Q=')).code).toBe(502);
  expect((await dialog.command('MAIL FROM:<penny@example.org> RET=HDRS')).code).toBe(555);
  await dialog.close();
});

it('a bare RCPT TO:<Postmaster> is taken for the postmaster mailbox mailward.yaml names, and delivered there (RFC 5321 4.5.1)', async () => {
  const seen = sink.messages.length;
  const dialog = await session('penny@example.org');
  expect((await dialog.command('RCPT TO:<Postmaster>')).code).toBe(250);
  const { end } = await dialog.data(crlf(textMessage('to the postmaster')));
  expect(end!.code).toBe(250);
  await dialog.close();
  const got = (await sink.waitFor(seen + 1))[seen]!;
  expect(got.to).toEqual(['postmaster@acme.example']);
});

it('a MAIL or RCPT parameter no offered extension takes is refused 555, as the gateway refuses it (trial H)', async () => {
  const { dialog } = await SmtpDialog.open(haraka.port);
  expect((await dialog.command('EHLO client.example.org')).code).toBe(250);
  const odd = await dialog.command('MAIL FROM:<penny@example.org> XYZZY=1');
  expect(odd.code).toBe(555);
  expect(odd.text).toContain('5.5.4 Parameter not supported: XYZZY= (no extension offered here takes it)');
  expect((await dialog.command('MAIL FROM:<penny@example.org> SIZE=2000 BODY=8BITMIME')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<al@acme.example> MT-PRIORITY=3')).code).toBe(555);
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  await dialog.close();
});

it('strip with notice: the .exe is replaced by the notice, the rest delivered', async () => {
  const delivered = nextDelivered();
  expect(await send('penny@example.org', exeMessage())).toBe(250);
  const raw = await delivered;
  expect(raw).toContain('Removed invoice.exe (application/octet-stream) by rule strip-exe');
  expect(raw).not.toContain('TVqQAAMAAAAEAAAA');
  expect(raw).toContain('See attached.');
});

it('header removal and masquerade for mail from internal hosts', async () => {
  const delivered = nextDelivered();
  const message = textMessage('status').replace('From: Penny <penny@example.org>', 'From: Penny <penny@dimension.acme.example>')
    .replace('Message-ID: <1@example.org>', 'Message-ID: <42@dimension.acme.example>');
  expect(await send('penny@dimension.acme.example', message)).toBe(250);
  const raw = await delivered;
  expect(raw).toContain('From: Penny <penny@acme.example>');
  expect(raw).not.toMatch(/^(Received|X-Mailer|X-Originating-IP):/im);
  expect(raw).not.toContain('dimension');
  expect(raw).toMatch(/^Message-ID: <[^@>]+@acme\.example>/im);
});

it('refusal at end of DATA uses the policy code and text', async () => {
  const dialog = await session('penny@example.org');
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  const { end } = await dialog.data(crlf(textMessage('refuse me')));
  expect(end!.code).toBe(554);
  expect(end!.text).toContain('5.7.1 Message refused by policy');
  await dialog.close();
});

it('drop: the client gets 250, nothing is delivered', async () => {
  const delivered = nextDelivered();
  expect(await send('penny@example.org', textMessage('drop me'))).toBe(250);
  expect(await send('penny@example.org', textMessage('after the drop'))).toBe(250);
  expect(await delivered).toContain('Subject: after the drop');
});

it('quarantine: the client gets 250, queue/quarantine holds it, nothing is delivered', async () => {
  const delivered = nextDelivered();
  expect(await send('penny@example.org', textMessage('hold me'))).toBe(250);
  expect(await send('penny@example.org', textMessage('after the hold'))).toBe(250);
  expect(await delivered).toContain('Subject: after the hold');
  const held = path.join(haraka.dir, 'quarantine', 'mailward');
  const files = fs.readdirSync(held, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(files).toHaveLength(1);
  expect(fs.readFileSync(path.join(files[0]!.parentPath, files[0]!.name), 'utf8')).toContain('Subject: hold me');
});

it('smtp.maxSize: advertised as SIZE, a larger declared SIZE refused at MAIL with 552 5.3.4', async () => {
  const { dialog } = await SmtpDialog.open(haraka.port);
  const ehlo = await dialog.command('EHLO client.example.org');
  expect(ehlo.lines).toContain('SIZE 1048576');
  const big = await dialog.command('MAIL FROM:<penny@example.org> SIZE=2000000');
  expect(big.code).toBe(552);
  expect(big.text).toContain('5.3.4 Message size exceeds the limit of 1048576 bytes');
  expect((await dialog.command('MAIL FROM:<penny@example.org> SIZE=2000')).code).toBe(250);
  await dialog.close();
});

it('smtp.maxSize at end of DATA counts the message, not the dots transparency adds on the wire (trial H)', async () => {
  /** A message of exactly `size` octets, every body line starting with a dot (each sent as two). */
  const dotted = (size: number): string => {
    const head = 'From: penny@example.org\r\nTo: al@acme.example\r\nSubject: dots\r\n\r\n';
    const line = `.${'x'.repeat(97)}\r\n`;
    const body = line.repeat(Math.floor((size - head.length) / line.length));
    return head + body + '.'.repeat(size - head.length - body.length - 2) + '\r\n';
  };
  const exact = dotted(1024 * 1024);
  expect(exact.length).toBe(1024 * 1024);
  const delivered = nextDelivered();
  expect(await send('penny@example.org', exact)).toBe(250);
  expect(await delivered).toContain(`\r\n.${'x'.repeat(97)}\r\n`);
  expect(await send('penny@example.org', dotted(1024 * 1024 + 1))).toBe(552);
});

it('quarantine with forward: delivered to the quarantine mailbox only, marked X-Mailward-Quarantine', async () => {
  const seen = sink.messages.length;
  const dialog = await session('penny@example.org');
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  const { end } = await dialog.data(crlf(textMessage('forward me')));
  expect(end!.code).toBe(250);
  await dialog.close();
  const got = (await sink.waitFor(seen + 1))[seen]!;
  expect(got.raw.toString('utf8')).toMatch(/^X-Mailward-Quarantine: forward test; for al@acme.example\r\n/);
  expect(got.to).toEqual(['quarantine@acme.example']);
});

it('a NUL in DATA is refused as the gateway refuses it (Haraka itself would relay it)', async () => {
  const dialog = await session('penny@example.org');
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  const { end } = await dialog.data(crlf('Subject: nul\n\nbefore \0 after\n'));
  expect(end!.code).toBe(550);
  expect(end!.text).toContain('5.6.0 Message refused: a NUL byte in DATA');
  await dialog.close();
});

describe('examples/haraka', () => {
  const example = path.resolve(__dirname, '../../../examples/haraka/config');
  let exampleHaraka: HarakaProcess;

  beforeAll(async () => {
    const read = (name: string): string => fs.readFileSync(path.join(example, name), 'utf8');
    exampleHaraka = await HarakaProcess.start({
      plugins: read('plugins').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')),
      mailwardYaml: read('mailward.yaml'),
      policy: read('policy.yaml'),
      sinkPort: sink.port,
    });
  }, 60_000);

  afterAll(async () => {
    await exampleHaraka?.stop();
  });

  it('starts with the example config and runs its policy', async () => {
    const { dialog } = await SmtpDialog.open(exampleHaraka.port);
    const ehlo = await dialog.command('EHLO client.example.org');
    expect(ehlo.lines.some((l) => /^(AUTH|DSN|ETRN)\b/.test(l))).toBe(false);
    expect((await dialog.command('MAIL FROM:<penny@example.org>')).code).toBe(250);
    expect((await dialog.command('RCPT TO:<victim@elsewhere.example>')).text).toContain('5.7.1 Relaying denied');
    expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
    const delivered = nextDelivered();
    expect((await dialog.data(crlf(exeMessage()))).end?.code).toBe(250);
    await dialog.close();
    const raw = await delivered;
    expect(raw).toContain('[Attachment denied by mailward policy (type "application/octet-stream", filename "invoice.exe")]');
  });
});
