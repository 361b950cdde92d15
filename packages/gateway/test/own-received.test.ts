/**
 * The gateway's own Received line names the client (HELO and address) unless the policy removes
 * Received fields: there it would put back the internal hop the policy hides (seed 000: "the
 * inside mail hub name is exposed"), so it says only who received the message, with its id.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually } from './hub-sink';

const policy = (data: string) => `
version: 1
smtp: { greetPause: 0 }
rcpt: { rules: [ { id: any, do: [ accept ] } ] }
data: { rules: [ { id: edit, do: [ ${data} ] } ] }
`;

const RAW = 'Received: from system1.acme.example\r\nSubject: s\r\n\r\nbody\r\n';

/** Send as nodemailer does (EHLO), or in a dialog that opens with HELO. */
async function send(port: number, opening: 'EHLO' | 'HELO'): Promise<void> {
  if (opening === 'EHLO') {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, name: 'hub.dimension.acme.example' });
    await transport.sendMail({ envelope: { from: 'fred@acme.example', to: ['partner@example.org'] }, raw: RAW });
    transport.close();
    return;
  }
  const d = await openDialog(port);
  for (const line of ['HELO hub.dimension.acme.example', 'MAIL FROM:<fred@acme.example>', 'RCPT TO:<partner@example.org>', 'DATA']) await d.send(`${line}\r\n`);
  expect(await d.send(`${RAW}.\r\n`)).toMatch(/^250 /);
  await d.send('QUIT\r\n');
}

async function delivered(data: string, opening: 'EHLO' | 'HELO' = 'EHLO'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-own-received-'));
  writeFileSync(join(dir, 'policy.yaml'), policy(data));
  const gw = await startGateway({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }] }, createLog('error', () => undefined, false));
  try {
    await send(gw.addresses[0]!.port, opening);
    const folder = join(dir, 'var/mail/partner@example.org');
    await eventually(() => { try { return readdirSync(folder).some((f) => f.endsWith('.eml')); } catch { return false; } });
    return readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.eml'))!), 'utf8');
  } finally {
    await gw.stop(1000);
    rmSync(dir, { recursive: true, force: true });
  }
}

it('names the client where the policy keeps Received', async () => {
  const mail = await delivered('{ headers: { remove: [X-Mailer] } }');
  expect(mail).toMatch(/^Received: from hub\.dimension\.acme\.example \(\[127\.0\.0\.1\]\)\s+by\s+mailward\.localhost\s+\(Mailward\)\s+with\s+ESMTP\s+id\s+\w+;/m);
  expect(mail).toMatch(/^Received: from system1\.acme\.example/m);
});

it('says with SMTP, not ESMTP, for a client that opened with HELO (RFC 3848)', async () => {
  const mail = await delivered('{ headers: { remove: [X-Mailer] } }', 'HELO');
  expect(mail).toMatch(/^Received: from hub\.dimension\.acme\.example \(\[127\.0\.0\.1\]\)\s+by\s+mailward\.localhost\s+\(Mailward\)\s+with\s+SMTP\s+id\s+\w+;/m);
});

it.each([
  ['removes', '{ headers: { remove: [Received, X-Mailer] } }'],
  ['keeps others than', '{ headers: { keep: [Subject, From, To] } }'],
  ['rewrites to nothing', '{ rewrite: { header: Received, match: "*", to: "" } }'],
])('names no client where the policy %s Received', async (_how, data) => {
  const mail = await delivered(data);
  expect(mail.match(/^Received:/gm)).toHaveLength(1);
  expect(mail).toMatch(/^Received: by\s+mailward\.localhost\s+\(Mailward\)\s+with\s+ESMTP\s+id\s+\w+;/m);
  expect(mail).not.toMatch(/dimension|system1|127\.0\.0\.1/);
});
