/**
 * A bounce that cannot be delivered goes to postmaster, once (trial: a DSN whose recipient, the
 * original sender, was refused 550 was only logged, as bounce-suppressed); a notice to postmaster
 * that fails is logged and dropped, so nothing loops. Each delivery line names the hop that
 * answered (trial: the line of a refused recipient said what was refused, not by whom).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway, type RunningGateway } from '../src/index';
import { eventually, startHub, type HubSink } from './hub-sink';

const POSTMASTER = 'postmaster@acme.example';
const POLICY = 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n';

let dir: string;
let hub: HubSink;
let gw: RunningGateway;
const lines: Record<string, unknown>[] = [];

async function start(postmaster?: string): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'mw-double-bounce-'));
  writeFileSync(join(dir, 'policy.yaml'), POLICY);
  hub = await startHub();
  lines.length = 0;
  gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], ...(postmaster ? { postmaster } : {}),
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 5 },
    queue: { scanPeriod: 50, resendPeriod: 60_000, abandonTime: 60_000, maxBackoff: 60_000 },
  }, createLog('info', (l) => lines.push(JSON.parse(l) as Record<string, unknown>), false));
}
async function stop(): Promise<void> {
  await gw?.stop(1000);
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
}

async function send(from: string, to: string): Promise<void> {
  await nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true })
    .sendMail({ envelope: { from, to: [to] }, raw: 'Subject: hello\r\n\r\nhello\r\n' });
}

/** Every line with this event. */
const events = (event: string): Record<string, unknown>[] => lines.filter((l) => l.event === event);

describe('with a postmaster', () => {
  beforeAll(() => start(POSTMASTER));
  afterAll(stop);

  it('sends postmaster a double bounce when the bounce to the sender is refused, and names the refusing hop', async () => {
    hub.refuse.add('nobody@acme.example');
    hub.refuse.add('gone@example.org'); // the sender: its bounce is refused too
    await send('gone@example.org', 'nobody@acme.example');
    await eventually(() => events('double-bounce').length === 1 && gw.spool.pending().length === 0);
    const [bounce] = events('bounce');
    const [double] = events('double-bounce');
    expect(double).toMatchObject({ level: 'warn', id: bounce!.dsn, to: POSTMASTER, recipients: ['gone@example.org'] });
    // The postmaster got the copy of the first bounce, then the double bounce: nothing more.
    await eventually(() => hub.received.filter((r) => r.from === '').length === 2);
    const notice = hub.received.find((r) => r.data.includes('Final-Recipient: rfc822; gone@example.org'))!;
    expect(notice).toMatchObject({ from: '', to: [POSTMASTER] });
    expect(notice.data).toContain('Subject: Undelivered Mail Delivery Notice\r\n');
    expect(notice.data).toContain('Diagnostic-Code: smtp; 550 5.1.1 No such user\r\n');
    // It quotes the headers of the bounce that failed.
    expect(notice.data).toMatch(/Content-Type: text\/rfc822-headers\r\n\r\n[\s\S]*Subject: Undelivered Mail Returned to Sender\r\n/);
    // Each refusal's delivery line names the hop that refused it.
    const refused = events('delivery').filter((l) => l.outcome === 'permanent');
    expect(refused.map((l) => [l.recipient, l.hop])).toEqual([['nobody@acme.example', `127.0.0.1:${hub.port}`], ['gone@example.org', `127.0.0.1:${hub.port}`]]);
    const delivered = events('delivery').filter((l) => l.outcome === 'delivered');
    expect(delivered.length).toBeGreaterThan(0);
    expect(delivered.every((l) => l.hop === `127.0.0.1:${hub.port}`)).toBe(true);
  });

  it('drops, and logs, a notice to postmaster that fails: no bounce of it, no loop', async () => {
    hub.refuse.add('gone2@example.org');
    hub.refuse.add(POSTMASTER);
    const before = lines.length;
    await send('gone2@example.org', 'nobody@acme.example');
    await eventually(() => gw.spool.pending().length === 0 && lines.slice(before).some((l) => l.event === 'done' && l.id === lines.slice(before).find((x) => x.event === 'double-bounce')?.dsn));
    const now = lines.slice(before);
    // The bounce (to gone2 and postmaster) fails for both: gone2's failure goes to postmaster, postmaster's is dropped.
    const bounce = now.find((l) => l.event === 'bounce')!;
    const double = now.find((l) => l.event === 'double-bounce')!;
    expect(double).toMatchObject({ id: bounce.dsn, recipients: ['gone2@example.org'] });
    const suppressed = now.filter((l) => l.event === 'bounce-suppressed');
    expect(suppressed).toEqual([
      expect.objectContaining({ level: 'warn', id: bounce.dsn, reason: 'undeliverable to postmaster', recipients: [POSTMASTER] }),
      expect.objectContaining({ level: 'warn', id: double.dsn, reason: 'undeliverable to postmaster', recipients: [POSTMASTER] }),
    ]);
    expect(now.filter((l) => l.event === 'double-bounce')).toHaveLength(1);
    expect(now.filter((l) => l.event === 'queued' || l.event === 'bounce' || l.event === 'double-bounce')).toHaveLength(3);
  });
});

describe('without a postmaster', () => {
  beforeAll(() => start());
  afterAll(stop);

  it('logs and drops a bounce that is refused, as before', async () => {
    hub.refuse.add('nobody@acme.example');
    hub.refuse.add('gone@example.org');
    await send('gone@example.org', 'nobody@acme.example');
    await eventually(() => events('bounce-suppressed').length === 1 && gw.spool.pending().length === 0);
    const [bounce] = events('bounce');
    expect(bounce).toMatchObject({ to: 'gone@example.org' });
    expect(events('bounce-suppressed')[0]).toMatchObject({ id: bounce!.dsn, reason: 'null sender', recipients: ['gone@example.org'] });
    expect(events('double-bounce')).toHaveLength(0);
  });
});
