/**
 * A message whose first line is `From : ...` (white space before the colon) through a real
 * gateway: mailsplit took it for an mbox separator, so a rule on From never saw it, and the
 * delivered copy had no From (trial: a spoofed From : ceo@acme.example accepted, delivered bare).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually } from './hub-sink';

const POLICY = `
version: 1
smtp: { greetPause: 0 }
rcpt: { rules: [ { id: any, do: [ accept ] } ] }
data:
  rules:
    - { id: no-spoof, when: { header: { name: From, value: "*@acme.example" } }, do: [ { reject: { code: 550, status: 5.7.1, text: spoofed } } ] }
`;

let dir: string;
let gw: Awaited<ReturnType<typeof startGateway>>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-first-line-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  gw = await startGateway({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }] }, createLog('error', () => undefined, false));
});
afterAll(async () => {
  await gw.stop(1000);
  rmSync(dir, { recursive: true, force: true });
});

async function send(first: string): Promise<string> {
  const d = await openDialog(gw.addresses[0]!.port);
  for (const line of ['EHLO client.example.net', 'MAIL FROM:<x@example.net>', 'RCPT TO:<bob@example.org>', 'DATA']) await d.send(`${line}\r\n`);
  const reply = await d.send(`${first}\r\nTo: bob@example.org\r\nSubject: s\r\n\r\nbody\r\n.\r\n`);
  await d.send('QUIT\r\n');
  return reply;
}

it('applies the From rule to a first line From : and delivers it with its From', async () => {
  expect(await send('From : ceo@acme.example')).toMatch(/^550 5\.7\.1 spoofed/);
  expect(await send('From : Fred <fred@example.net>')).toMatch(/^250 /);
  const folder = join(dir, 'var/mail/bob@example.org');
  await eventually(() => { try { return readdirSync(folder).some((f) => f.endsWith('.eml')); } catch { return false; } });
  const eml = readFileSync(join(folder, readdirSync(folder).find((f) => f.endsWith('.eml'))!), 'utf8');
  expect(eml).toMatch(/\r\nFrom : Fred <fred@example\.net>\r\nTo: bob@example\.org\r\n/);
});
