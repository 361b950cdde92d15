/**
 * Once stop() is called no delivery starts, while sessions in flight finish too (docs: the
 * dequeuer only finishes its current deliveries). Trial 4: retries went on starting during the
 * listeners' grace time; here a message a session commits in that time stays in the spool.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { openDialog } from '../../adapter-smtp-server/test/smtp-dialog';
import { startHub } from './hub-sink';

it('starts no delivery after stop(), and keeps what came in meanwhile', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-stop-nonew-'));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  const hub = await startHub();
  const gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }], secret: 'stop-no-new-test-secret',
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`] },
    queue: { scanPeriod: 50, resendPeriod: 600_000, abandonTime: 86_400_000, maxBackoff: 600_000 },
  }, createLog('error', () => undefined, false));
  try {
    // A session in flight, which stop() lets finish.
    const d = await openDialog(gw.addresses[0]!.port);
    for (const line of ['EHLO client.example.org', 'MAIL FROM:<a@example.org>', 'RCPT TO:<late@acme.example>', 'DATA']) await d.send(`${line}\r\n`);
    const stopped = gw.stop(3000);
    expect(await d.send('Subject: late\r\n\r\nbody\r\n.\r\n')).toMatch(/^250 /);
    await new Promise((r) => setTimeout(r, 300)); // several scan periods
    await d.send('QUIT\r\n');
    await stopped;
    expect(hub.received).toEqual([]);
    expect(gw.spool.pending()).toHaveLength(1);
  } finally {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  }
}, 20_000);
