/**
 * The accounting log over a real session: the connect line names the listener, the EHLO line
 * the hidden keywords, a hidden keyword used anyway is logged, the data decision carries the
 * envelope, size and what the policy removes, and a close line has the session's totals.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { eventually } from './hub-sink';

const POLICY = `
version: 1
smtp: { greetPause: 0, hideKeywords: [DSN, AUTH] }
rcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }
data:
  rules:
    - id: no-exe
      when: { part: { filename: "*.exe" } }
      do: [ strip, { log: 'pattern "*.exe" found in file name "{filename}"' } ]
    - id: hide-internals
      do: [ { headers: { remove: [X-Mailer] } } ]
`;

const RAW = ['From: a@example.org', 'To: bob@acme.example', 'Subject: s', 'X-Mailer: Outlook 9', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=B', '',
  '--B', 'Content-Type: text/plain', '', 'hi', '--B', 'Content-Type: application/octet-stream; name="tool.exe"', 'Content-Transfer-Encoding: base64', '', 'TVqQAA==', '--B--', ''].join('\r\n');

let dir: string;
let gw: RunningGateway;
const lines: Record<string, unknown>[] = [];
const events = (name: string) => lines.filter((l) => l.event === name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mw-session-log-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  gw = await startGateway({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0', direction: 'inbound' }] },
    createLog('info', (line) => lines.push(JSON.parse(line) as Record<string, unknown>), false));
});
afterAll(async () => {
  await gw?.stop(1000);
  rmSync(dir, { recursive: true, force: true });
});

it('logs the listener, the decision with envelope, bytes and removals, the rewrite, and the totals at close', async () => {
  const port = gw.addresses[0]!.port;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, name: 'client.example' });
  await transport.sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: RAW });
  transport.close();
  await eventually(() => events('close').length === 1 && events('rewritten').length === 1);
  const connect = events('connect')[0]!;
  expect(connect).toMatchObject({ client: '127.0.0.1', listener: { name: '127.0.0.1:0', address: '127.0.0.1', port, zone: 'inbound' } });
  expect(events('ehlo')[0]).toMatchObject({ session: connect.session, helo: 'client.example', hidden: ['DSN', 'AUTH'] });
  expect(events('ehlo')[0]!.offered).not.toContain('DSN');
  const data = events('decision').find((d) => d.stage === 'data')!;
  expect(data).toMatchObject({
    client: '127.0.0.1', sender: 'a@example.org', recipients: ['bob@acme.example'], bytes: RAW.length, verdict: 'accept', fired: ['no-exe', 'hide-internals'],
    removed: { headers: ['X-Mailer'], parts: [{ action: 'strip', type: 'application/octet-stream', filename: 'tool.exe', path: expect.any(String) }] },
  });
  expect(events('rewritten')[0]).toMatchObject({ removedHeaders: ['X-Mailer'], removedParts: [{ type: 'application/octet-stream', filename: 'tool.exe' }] });
  expect(events('close')[0]).toMatchObject({
    session: connect.session, client: '127.0.0.1', listener: { name: '127.0.0.1:0', port, zone: 'inbound' },
    messages: 1, recipients: 1, bytes: RAW.length, errors: 0, ms: expect.any(Number),
  });
});

it('ties each decision and the queued line to its session, as connect and close are', async () => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true, name: 'client.example' });
  const sent = await transport.sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example', 'eve@elsewhere.example'] }, raw: RAW });
  transport.close();
  const id = /queued as (\S+)/.exec(sent.response)![1];
  await eventually(() => events('queued').some((q) => q.id === id));
  const session = events('queued').find((q) => q.id === id)!.session;
  expect(session).toEqual(expect.any(String));
  expect(events('connect').filter((c) => c.session === session)).toHaveLength(1);
  const decisions = events('decision').filter((d) => d.session === session);
  expect(decisions.map((d) => [d.stage, d.recipient, d.verdict])).toEqual([
    ['connect', undefined, 'accept'], ['helo', undefined, 'accept'], ['mail', undefined, 'accept'],
    ['rcpt', 'bob@acme.example', 'accept'], ['rcpt', 'eve@elsewhere.example', 'reject'], ['data', undefined, 'accept'],
  ]);
  await eventually(() => events('close').some((c) => c.session === session));
});

it('logs a hidden keyword used anyway, and why each session ended', async () => {
  const d = await openDialog(gw.addresses[0]!.port);
  try {
    await d.send('EHLO client.example\r\n');
    expect(await d.send('MAIL FROM:<a@example.org> RET=HDRS\r\n')).toMatch(/^555 /);
    expect(await d.send('AUTH PLAIN AGFsaWNlAHB3\r\n')).toMatch(/^500 /);
    expect(await d.send('QUIT\r\n')).toMatch(/^221 /);
  } finally {
    d.close();
  }
  await eventually(() => events('close').length === 3);
  expect(events('hidden-keyword-refused')).toEqual([
    expect.objectContaining({ command: 'MAIL', parameter: expect.stringMatching(/^RET= \(DSN is not offered here\)/) }),
    expect.objectContaining({ command: 'AUTH', keyword: 'AUTH' }),
  ]);
  expect(events('close')[2]).toMatchObject({ messages: 0, recipients: 0, bytes: 0, errors: 2, reason: 'quit' });
  const dropped = await openDialog(gw.addresses[0]!.port);
  dropped.close();
  await eventually(() => events('close').length === 4);
  expect(events('close')[3]).toMatchObject({ errors: 0, reason: 'client-closed' });
});

it('a client that resets its connection in DATA: the error line names the session, and the close line counts no error', async () => {
  const d = await openDialog(gw.addresses[0]!.port);
  await d.send('EHLO client.example\r\n');
  await d.send('MAIL FROM:<a@example.org>\r\n');
  await d.send('RCPT TO:<bob@acme.example>\r\n');
  expect(await d.send('DATA\r\n')).toMatch(/^354 /);
  d.write('Subject: half\r\n\r\nthe first line and no more');
  await new Promise((r) => setTimeout(r, 50));
  const session = events('connect').pop()!.session;
  d.socket.resetAndDestroy();
  await eventually(() => events('close').some((c) => c.session === session));
  expect(events('close').find((c) => c.session === session)).toMatchObject({ errors: 0, messages: 0, reason: 'client-closed' });
  expect(events('client-error').filter((e) => e.session === session)).toEqual([expect.objectContaining({ client: '127.0.0.1', code: 'ECONNRESET' })]);
});

it('writes the text of each log action of the policy, with its rule and session', async () => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true, name: 'client.example' });
  const sent = await transport.sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: RAW });
  transport.close();
  const id = /queued as (\S+)/.exec(sent.response)![1];
  await eventually(() => events('queued').some((q) => q.id === id));
  const session = events('queued').find((q) => q.id === id)!.session;
  expect(events('policy-log').filter((l) => l.session === session)).toEqual([
    expect.objectContaining({ stage: 'data', client: '127.0.0.1', rule: 'no-exe', text: 'pattern "*.exe" found in file name "tool.exe"' }),
  ]);
});

it('names on the data decision the kinds of ambiguous MIME analysis found, and none for clean mail', async () => {
  const unclosed = RAW.replace('--B--\r\n', '');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true, name: 'client.example' });
  await transport.sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: unclosed });
  transport.close();
  await eventually(() => events('decision').some((d) => d.stage === 'data' && d.bytes === unclosed.length));
  expect(events('decision').find((d) => d.stage === 'data' && d.bytes === unclosed.length)).toMatchObject({ malformed: ['unclosed-multipart'] });
  expect(events('decision').find((d) => d.stage === 'data' && d.bytes === RAW.length)).not.toHaveProperty('malformed');
});

it('keeps the readable form readable: lists as words, a listener as its parts', () => {
  const out: string[] = [];
  createLog('info', (l) => out.push(l), true, () => new Date('2024-01-01T10:00:00Z')).event('info', { event: 'close', listener: { name: 'mx', port: 25 }, hidden: ['DSN', 'AUTH'], fired: [], reason: 'quit' });
  expect(out[0]).toBe('10:00:00 INFO  close listener.name=mx listener.port=25 hidden=DSN,AUTH reason=quit\n');
});

it('names in the rewritten line the attachment that went and the member of it the rule matched', async () => {
  const zipped = readFileSync(join(__dirname, '../../core/test/evasion/messages/exe-in-zip.eml'), 'latin1').replace(/\r?\n/g, '\r\n');
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true, name: 'client.example' });
  await transport.sendMail({ envelope: { from: 'a@example.org', to: ['bob@acme.example'] }, raw: zipped });
  transport.close();
  await eventually(() => events('rewritten').some((l) => JSON.stringify(l).includes('application/zip')));
  const line = events('rewritten').find((l) => JSON.stringify(l).includes('application/zip'))!;
  expect(line.removedParts).toEqual([{ path: '2', type: 'application/zip', filename: expect.stringMatching(/\.zip$/), member: expect.stringMatching(/\.exe$/) }]);
});
