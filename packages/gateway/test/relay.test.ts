import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, releaseFromQuarantine, startGateway, type GatewayConfig, type RunningGateway } from '../src/index';
import { freePort } from './free-port';
import { eventually, startHub, type HubSink } from './hub-sink';

const POLICY = `
version: 1
lists:
  our-domains: [acme.example]
outbound: { clients: [10.0.0.10] }
smtp: { greetPause: 0, maxSize: 1MB }
rcpt:
  rules:
    - id: ours
      when: { recipient: { domain: "@our-domains" } }
      do: [ accept ]
data:
  rules:
    - id: no-exe
      when: { part: { filename: "*.exe" } }
      do: [ strip ]
    - id: hide-internals
      do:
        - { headers: { remove: [X-Mailer, Received] } }
        - { masquerade: { domain: acme.example, headers: [From], messageId: true } }
    - id: quarantine-forwarded
      when: { header: { name: X-Quarantine-Me, value: forward } }
      do: [ { quarantine: { reason: suspicious, forward: quarantine@acme.example, notify: [admin@acme.example] } } ]
    - id: quarantine-tagged
      when: { header: { name: X-Quarantine-Me } }
      do: [ { quarantine: { reason: test } } ]
`;

const message = (extra = '') => [
  'From: Penny <penny@dimension.acme.example>', 'To: bob@acme.example', 'Subject: report', 'X-Mailer: Outlook 9',
  'Received: from build7.internal.acme.example', 'Message-ID: <123@build7.internal.acme.example>', extra,
  'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary=B', '',
  '--B', 'Content-Type: text/plain', '', 'see attached', '--B', 'Content-Type: application/octet-stream; name="tool.exe"', 'Content-Transfer-Encoding: base64', '', 'TVqQAA==', '--B--', '',
].filter((l, i) => i !== 6 || l !== '').join('\r\n');

describe('gateway relaying to a hub', () => {
  let dir: string;
  let hub: HubSink;
  let gw: RunningGateway;
  let config: GatewayConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-gw-'));
    writeFileSync(join(dir, 'policy.yaml'), POLICY);
    hub = await startHub();
    config = {
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
      queue: { scanPeriod: 100, resendPeriod: 200, abandonTime: 60_000, maxBackoff: 1000 },
      secret: 'a-test-secret-of-some-length',
      admin: { listen: '127.0.0.1:0' },
    };
    gw = await startGateway(config, createLog('error', () => undefined, false));
  });
  afterAll(async () => {
    await gw.stop(1000);
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (to: string[], raw: string, from = 'penny@dimension.acme.example') =>
    nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true }).sendMail({ envelope: { from, to }, raw });

  it('delivers with the attachment replaced by the notice and internal headers gone', async () => {
    const info = await send(['bob@acme.example'], message());
    expect(info.response).toMatch(/^250 .*queued as \w+/);
    await eventually(() => hub.received.length === 1);
    const got = hub.received[0]!;
    expect(got.to).toEqual(['bob@acme.example']);
    expect(got.data).toMatch(/Attachment removed by mailward policy \(type "application\/octet-stream", filename "tool.exe"\)/);
    expect(got.data).not.toMatch(/TVqQAA/);
    expect(got.data).not.toMatch(/X-Mailer|build7/i);
    // One Received line: ours (the internal one was removed by the policy), naming no client.
    expect(got.data.match(/^Received:/gm)).toHaveLength(1);
    expect(got.data).toMatch(/^Received: by mailward\.localhost \(Mailward\) with ESMTP id\s+\w+;/m);
    expect(got.data).toMatch(/^From: Penny <penny@acme\.example>/m);
    expect(got.data).toMatch(/^Message-ID: <[0-9a-f]{32}@acme\.example>/m);
    expect(got.data).toMatch(/see attached/);
  });

  it('bounces the one recipient the hub refuses, delivers the others, and empties the queue', async () => {
    hub.refuse.add('gone@acme.example');
    const before = hub.received.length;
    await send(['bob@acme.example', 'gone@acme.example'], message());
    await eventually(() => hub.received.length >= before + 2);
    const delivered = hub.received.slice(before).find((r) => r.from !== '');
    const dsn = hub.received.slice(before).find((r) => r.from === '');
    expect(delivered!.to).toEqual(['bob@acme.example']);
    expect(dsn!.to).toEqual(['penny@dimension.acme.example']);
    expect(dsn!.data).toMatch(/multipart\/report; report-type=delivery-status/);
    expect(dsn!.data).toMatch(/Final-Recipient: rfc822; gone@acme\.example/);
    // The hub answered 550 5.1.1: the DSN carries its status (RFC 3464 2.3.4), not a generic 5.0.0.
    expect(dsn!.data).toMatch(/Status: 5\.1\.1\r\n/);
    // It was the hub's answer: the DSN names the hub (RFC 3464 2.3.5) and when it was asked.
    expect(dsn!.data).toMatch(/Status: 5\.1\.1\r\nRemote-MTA: dns; 127\.0\.0\.1\r\nDiagnostic-Code: smtp; 550[^\r]*\r\nLast-Attempt-Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r\n/);
    // The headers it quotes are those the hub got: what the policy removed or masqueraded to hide
    // internal hosts stays out of it.
    const quoted = /Content-Type: text\/rfc822-headers\r\n\r\n([\s\S]*?)\r\n--=_mw_/.exec(dsn!.data)![1]!;
    expect(quoted).toMatch(/^Subject: report$/m);
    expect(quoted).toMatch(/^From: Penny <penny@acme\.example>$/m);
    expect(quoted).not.toMatch(/X-Mailer|build7|dimension/i);
    expect(quoted.match(/^Received:/gm)).toHaveLength(1);
    await eventually(() => gw.spool.pending().length === 0);
  });

  it('keeps the message while the hub is down and delivers when it is back', async () => {
    const port = hub.port;
    await hub.close();
    const info = await send(['bob@acme.example'], message());
    const id = /queued as (\w+)/.exec(info.response)![1]!;
    // After the failed attempt it waits in deferred/ (FireWall-1's D_resend).
    await eventually(() => gw.spool.whereQueued(id) === 'deferred');
    expect(gw.spool.read('deferred', id)).toMatchObject({ attempts: 1, recipients: [{ state: 'pending' }] });
    hub = await startHub(port);
    await gw.dequeuer.runOnce(true);
    await eventually(() => hub.received.length === 1);
    expect(gw.spool.whereQueued(id)).toBeUndefined();
  });

  it('holds a quarantined message in quarantine/, not in the queue', async () => {
    const info = await send(['bob@acme.example'], message('X-Quarantine-Me: yes'));
    const id = /queued as (\w+)/.exec(info.response)![1]!;
    expect(gw.spool.list('quarantine')).toContain(id);
    expect(gw.spool.read('quarantine', id)).toMatchObject({ verdict: 'quarantine', quarantine: { reason: 'test' } });
  });

  it('forwards to a quarantine mailbox when the rule says so, and tells the admin', async () => {
    const before = hub.received.length;
    await send(['bob@acme.example'], message('X-Quarantine-Me: forward'));
    await eventually(() => hub.received.length >= before + 2);
    const got = hub.received.slice(before);
    const held = got.find((m) => m.to.includes('quarantine@acme.example'))!;
    // Our trace line on top (RFC 5321 4.4), the quarantine header under it.
    expect(held.data).toMatch(/^Received: .*(\r\n[ \t].*)*\r\nX-Mailward-Quarantine: suspicious; for bob@acme\.example/);
    const notice = got.find((m) => m.to.includes('admin@acme.example'))!;
    expect(notice.from).toBe('');
    expect(notice.data).toMatch(/Subject: Quarantined: report/);
    expect(notice.data).toMatch(/reason: {5}suspicious/);
    expect(got.some((m) => m.to.includes('bob@acme.example'))).toBe(false);
  });

  it('delivers a released message with the release header and the same content', async () => {
    const info = await send(['bob@acme.example'], message('X-Quarantine-Me: again'));
    const id = /queued as (\w+)/.exec(info.response)![1]!;
    const before = hub.received.length;
    releaseFromQuarantine(gw.spool, id, 'admin');
    await gw.dequeuer.runOnce(true);
    await eventually(() => hub.received.length === before + 1);
    const got = hub.received.at(-1)!.data;
    expect(got).toMatch(/^Received: .*(\r\n[ \t].*)*\r\nX-Mailward-Released: .* by admin \(test\)/);
    expect(got).toMatch(/X-Quarantine-Me: again/);
    expect(got).toMatch(/see attached/);
    expect(gw.spool.list('quarantine')).not.toContain(id);
  });
});

describe('admin listener', () => {
  it('serves /healthz and Prometheus /metrics counting sessions, verdicts and deliveries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-admin-'));
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: ours\n      when: { recipient: { domain: acme.example } }\n      do: [ accept ]\n');
    const gw = await startGateway({ ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], admin: { listen: '127.0.0.1:0' }, secret: 'admin-test-secret-123' }, createLog('error', () => undefined, false));
    try {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true });
      await t.sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example', 'c@else.example'] }, raw: 'Subject: m\r\n\r\nx\r\n' });
      await gw.dequeuer.runOnce(true);
      const base = `http://127.0.0.1:${gw.adminPort}`;
      expect(await (await fetch(`${base}/healthz`)).text()).toBe('ok\n');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/mailward_sessions_total [1-9]/);
      expect(metrics).toMatch(/mailward_verdicts_total\{stage="rcpt",verdict="reject",rule="default"\} 1/);
      expect(metrics).toMatch(/mailward_verdicts_total\{stage="rcpt",verdict="accept",rule="ours"\} 1/);
      expect(metrics).toMatch(/mailward_delivery_attempts_total\{outcome="delivered"\} 1/);
      expect(metrics).toMatch(/mailward_spool_messages\{area="queue"\} 0/);
    } finally {
      await gw.stop(1000);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('abandon time', () => {
  it('returns what could not be delivered in time to the sender, once, with status 4.4.7', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-abandon-'));
    writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
    const hub = await startHub();
    hub.refuse.add('never@slow.example');
    // Deliver through a hub that is down for slow.example, through the live one for the bounce.
    const dead = await freePort();
    const gw = await startGateway({
      ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], secret: 'abandon-test-secret',
      delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], routes: { 'slow.example': [`127.0.0.1:${dead}`] }, timeout: 2 },
      queue: { scanPeriod: 100, resendPeriod: 100, abandonTime: 1500, maxBackoff: 200 },
    }, createLog('error', () => undefined, false));
    try {
      await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
        .sendMail({ envelope: { from: 'sender@acme.example', to: ['late@slow.example'] }, raw: 'Subject: late\r\n\r\nx\r\n' });
      await eventually(() => hub.received.some((m) => m.from === ''), 15_000);
      const dsn = hub.received.find((m) => m.from === '')!;
      expect(dsn.to).toEqual(['sender@acme.example']);
      expect(dsn.data).toMatch(/Final-Recipient: rfc822; late@slow\.example/);
      expect(dsn.data).toMatch(/Status: 4\.4\.7/);
      expect(dsn.data).toMatch(/Subject: late/);
      await eventually(() => gw.spool.pending().length === 0);
      expect(hub.received.filter((m) => m.from === '')).toHaveLength(1);
    } finally {
      await gw.stop(1000);
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
