/**
 * mailward_queue_ok with a stand-in for Haraka's outbound: what is handed to send_email, and
 * that a notice which cannot be queued is logged without touching the quarantine or the answer.
 */
import * as fs from 'node:fs';
import { codes } from '../src/codes';
import type { HarakaOutbound } from '../src/haraka-types';
import { PluginUnderTest, withMessage } from './support/plugin-under-test';
import { textMessage } from './fixtures/messages';

const POLICY = `version: 1
rcpt: { default: accept }
data:
  rules:
    - id: hold
      when: { header: { name: Subject, value: "hold*" } }
      do: [ { quarantine: { reason: "bad\\nthing", notify: [admin@acme.example] } } ]
    - id: hold-quietly
      when: { header: { name: Subject, value: "quiet" } }
      do: [ { quarantine: { reason: quiet } } ]
`;

interface Sent {
  from: string;
  to: string[];
  contents: string;
}

let current: PluginUnderTest | undefined;

afterEach(() => {
  current?.cleanup();
  current = undefined;
});

/** A plugin with quarantine.dir whose haraka_require('outbound') is `outbound`. */
function withOutbound(outbound: HarakaOutbound): PluginUnderTest {
  current = new PluginUnderTest({ 'mailward.yaml': 'policy: policy.yaml\nsecret: s\nquarantine: { dir: held }\n', 'policy.yaml': POLICY, me: 'mx.unit.test\n' });
  current.register();
  current.plugin.haraka_require = (name) => (name === 'outbound' ? outbound : undefined);
  return current;
}

/** End of DATA, queue and queue_ok for one message, as Haraka runs them. */
async function quarantined(t: PluginUnderTest, subject: string) {
  const conn = t.connection({ helo: 'client.example.org' });
  await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example', 'bo@acme.example'] }, textMessage(subject));
  expect((await t.call('mailward_data_post', conn)).code).toBe(codes.cont);
  expect((await t.call('mailward_queue', conn)).code).toBe(codes.ok);
  const queueOk = await t.call('mailward_queue_ok', conn);
  return { conn, queueOk, file: conn.transaction!.notes.quarantined as string };
}

it('hands outbound the notice from the null sender, and answers once outbound has queued it', async () => {
  const sent: Sent[] = [];
  let release: (() => void) | undefined;
  const t = withOutbound({
    send_email(from, to, contents, next) {
      sent.push({ from, to, contents });
      release = () => next(codes.ok, 'Message Queued (X)');
    },
  });
  const conn = t.connection({ helo: 'client.example.org' });
  await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example', 'bo@acme.example'] }, textMessage('hold me'));
  await t.call('mailward_data_post', conn);
  await t.call('mailward_queue', conn);
  const answered = t.call('mailward_queue_ok', conn);
  await new Promise((resolve) => setImmediate(resolve));
  expect(sent).toHaveLength(1);
  release!();
  const call = await answered;
  expect(call.calls).toBe(1);
  expect(call.code).toBeUndefined();
  const [notice] = sent;
  expect(notice!.from).toBe('<>');
  expect(notice!.to).toEqual(['admin@acme.example']);
  const id = conn.transaction!.uuid;
  expect(notice!.contents).toContain(`Message-ID: <${id}.quarantine@mx.unit.test>\r\n`);
  expect(notice!.contents).toContain('Subject: Quarantined: hold me\r\n');
  expect(notice!.contents).toContain('  reason:     bad thing\r\n');
  expect(notice!.contents).toContain('  rule:       hold\r\n  found:      header = "Subject: hold me"\r\n');
  expect(notice!.contents).toContain('  recipients: al@acme.example, bo@acme.example\r\n');
  expect(notice!.contents).toContain(`  kept in:    ${conn.transaction!.notes.quarantined as string}\r\n`);
  expect(t.logs.some((l) => l.includes(`quarantine notice for ${id} to <admin@acme.example> queued: Message Queued (X)`))).toBe(true);
});

it('a notice outbound refuses or throws on is logged; the quarantine file stays and next is called once', async () => {
  for (const outbound of [
    { send_email: (_f: string, _t: string[], _c: string, next: (code: number, msg?: unknown) => void) => next(codes.denysoft, 'Queueing failed') },
    { send_email: () => { throw new Error('queue dir gone'); } },
  ]) {
    const t = withOutbound(outbound);
    const { queueOk, file } = await quarantined(t, 'hold me');
    expect(queueOk.calls).toBe(1);
    expect(queueOk.code).toBeUndefined();
    expect(fs.readFileSync(file, 'utf8')).toContain('Subject: hold me');
    expect(t.logs.some((l) => /^error +quarantine notice for \S+ to <admin@acme\.example> not queued.*(Queueing failed|queue dir gone).*the message stays in quarantine$/.test(l))).toBe(true);
    t.cleanup();
    current = undefined;
  }
});

it('sends nothing for a quarantine without notify, or outside a quarantine', async () => {
  const sent: string[] = [];
  const t = withOutbound({ send_email: (_f, to, _c, next) => { sent.push(...to); next(codes.ok); } });
  expect((await quarantined(t, 'quiet')).queueOk.calls).toBe(1);
  const conn = t.connection({ helo: 'client.example.org' });
  await withMessage(conn, { from: 'penny@example.org', to: ['al@acme.example'] }, textMessage('plain'));
  await t.call('mailward_data_post', conn);
  expect((await t.call('mailward_queue_ok', conn)).calls).toBe(1);
  expect(sent).toEqual([]);
});
