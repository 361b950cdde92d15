/**
 * A quarantine's `notify`, through real Haraka 3.3 processes: the notice goes out through
 * Haraka's own outbound (smtp_forward.ini routes notify.example to the sink, as a get_mx route)
 * whether queue/quarantine or quarantine.dir keeps the message, and with `forward`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarakaProcess, buildPlugin } from './support/haraka-process';
import { Sink, type SunkMessage } from './support/sink';
import { SmtpDialog } from './support/smtp-dialog';
import { textMessage } from './fixtures/messages';

const POLICY = `version: 1
name: notice-e2e
rcpt:
  rules:
    - id: ours
      when: { recipient: { domain: acme.example } }
      do: [ accept ]
data:
  default: accept
  rules:
    - id: hold-test
      when: { header: { name: Subject, value: "hold me*" } }
      do: [ { quarantine: { reason: "looks bad", notify: [admin@notify.example, second@notify.example] } } ]
    - id: forward-test
      when: { header: { name: Subject, value: "forward me" } }
      do: [ { quarantine: { reason: "forward test", forward: quarantine@acme.example, notify: [admin@notify.example] } } ]
`;
const crlf = (s: string): string => s.replace(/\r?\n/g, '\r\n');

let sink: Sink;
let withPlugin: HarakaProcess;
let withDir: HarakaProcess;

/** smtp_forward for the inbound mail, and a [notify.example] route that outbound's get_mx takes. */
const forwardIni = (port: number): string =>
  `host=127.0.0.1\nport=${port}\nenable_tls=false\n\n[notify.example]\nhost=127.0.0.1\nport=${port}\nenable_tls=false\n`;

beforeAll(async () => {
  await buildPlugin();
  sink = await Sink.start();
  const files = { 'smtp_forward.ini': forwardIni(sink.port) };
  [withPlugin, withDir] = await Promise.all([
    HarakaProcess.start({ plugins: ['mailward', 'queue/quarantine', 'queue/smtp_forward'], mailwardYaml: 'policy: policy.yaml\nsecret: e2e-secret\n', policy: POLICY, files }),
    HarakaProcess.start({ plugins: ['mailward', 'queue/smtp_forward'], mailwardYaml: 'policy: policy.yaml\nsecret: e2e-secret\nquarantine: { dir: held }\n', policy: POLICY, files }),
  ]);
}, 120_000);

afterAll(async () => {
  await withPlugin?.stop();
  await withDir?.stop();
  await sink?.stop();
});

/** Sends one message to al@acme.example; the reply to the final dot. */
async function send(haraka: HarakaProcess, subject: string): Promise<{ code: number; text: string }> {
  const { dialog } = await SmtpDialog.open(haraka.port);
  expect((await dialog.command('EHLO client.example.org')).code).toBe(250);
  expect((await dialog.command('MAIL FROM:<penny@example.org>')).code).toBe(250);
  expect((await dialog.command('RCPT TO:<al@acme.example>')).code).toBe(250);
  const { end } = await dialog.data(crlf(textMessage(subject)));
  await dialog.close();
  return end!;
}

/** The first message the sink got that `match` accepts, within 15 s (outbound delivers at once). */
async function delivered(match: (m: SunkMessage) => boolean): Promise<SunkMessage> {
  const until = Date.now() + 15_000;
  for (;;) {
    const found = sink.messages.find(match);
    if (found) return found;
    if (Date.now() > until) throw new Error(`not delivered within 15 s; the sink got: ${sink.messages.map((m) => `${m.from} -> ${m.to.join(',')}`).join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const noticeOf = (id: string) => (m: SunkMessage): boolean => m.raw.toString('utf8').includes(`Message-ID: <${id}.quarantine@mx.haraka.test>`);
const uuidIn = (reply: { text: string }): string => /\(([^)]+)\)\s*$/.exec(reply.text)![1]!;

/** What every notice says, whichever way the message was kept. */
function expectNotice(got: SunkMessage, id: string, subject: string, reason: string): string {
  const raw = got.raw.toString('utf8');
  expect(got.from).toBe('');
  expect(raw).toContain(`Subject: Quarantined: ${subject}\r\n`);
  expect(raw).toContain('Auto-Submitted: auto-generated\r\n');
  expect(raw).toMatch(/^Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r$/m);
  expect(raw).toContain(`  queue id:   ${id}\r\n`);
  expect(raw).toContain(`  reason:     ${reason}\r\n`);
  expect(raw).toContain('  sender:     <penny@example.org>\r\n');
  expect(raw).toContain('  recipients: al@acme.example\r\n');
  return raw;
}

it('queue/quarantine: the notice goes to every notify address through outbound; the message is held, not delivered', async () => {
  const reply = await send(withPlugin, 'hold me');
  expect(reply.code).toBe(250);
  const id = uuidIn(reply);
  const got = await delivered(noticeOf(id));
  expect(got.to.sort()).toEqual(['admin@notify.example', 'second@notify.example']);
  const raw = expectNotice(got, id, 'hold me', 'looks bad');
  expect(raw).toContain('To: <admin@notify.example>, <second@notify.example>\r\n');
  expect(raw).toContain(`  kept in:    ${path.join(withPlugin.dir, 'quarantine', 'mailward')}`);
  const held = fs.readdirSync(path.join(withPlugin.dir, 'quarantine', 'mailward'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(held.map((e) => e.name)).toEqual([id]);
  expect(sink.messages.filter((m) => m.to.includes('al@acme.example'))).toEqual([]);
});

it('quarantine.dir: the same notice, naming the file the plugin wrote', async () => {
  const reply = await send(withDir, 'hold me too');
  expect(reply.code).toBe(250);
  const id = uuidIn(reply);
  const raw = expectNotice(await delivered(noticeOf(id)), id, 'hold me too', 'looks bad');
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const file = path.join(withDir.dir, 'config', 'held', day, `${id}.eml`);
  expect(raw).toContain(`  kept in:    ${file}\r\n`);
  expect(fs.readFileSync(file, 'utf8')).toContain('Subject: hold me too');
  expect(sink.messages.filter((m) => m.to.includes('al@acme.example'))).toEqual([]);
});

it('quarantine with forward: delivered to the forward mailbox, and notify is mailed too (as the gateway does)', async () => {
  const reply = await send(withPlugin, 'forward me');
  expect(reply.code).toBe(250);
  const id = uuidIn(reply);
  const raw = expectNotice(await delivered(noticeOf(id)), id, 'forward me', 'forward test');
  expect(raw).toContain('  forwarded:  <quarantine@acme.example>\r\n');
  const forwarded = await delivered((m) => m.to.includes('quarantine@acme.example'));
  expect(forwarded.raw.toString('utf8')).toMatch(/^X-Mailward-Quarantine: forward test; for al@acme.example\r\n/);
  expect(sink.messages.filter((m) => m.to.includes('al@acme.example'))).toEqual([]);
});

it('a notice outbound cannot queue is logged; the quarantine stands and the client still gets 250', async () => {
  // Haraka's outbound writes into DIR/queue; a file in its place makes every write fail.
  const queue = path.join(withDir.dir, 'queue');
  fs.rmSync(queue, { recursive: true, force: true });
  fs.writeFileSync(queue, 'not a directory');
  const reply = await send(withDir, 'hold me, no notice');
  expect(reply.code).toBe(250);
  const id = uuidIn(reply);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  expect(fs.existsSync(path.join(withDir.dir, 'config', 'held', day, `${id}.eml`))).toBe(true);
  expect(withDir.logs).toMatch(new RegExp(`quarantine notice for ${id.replace(/\./g, '\\.')} to <admin@notify\\.example>, <second@notify\\.example> not queued .*the message stays in quarantine`));
});
