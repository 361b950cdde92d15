/**
 * stop() ends within its grace time even when a delivery is stuck on a hub that took the
 * connection and never answers (it would hold it for delivery.timeout); the message stays queued.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { eventually } from './hub-sink';

it('cuts a delivery still running at the end of the grace time, and keeps its message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-stop-deadline-'));
  const held: Socket[] = [];
  const silent = createServer((socket) => void held.push(socket)); // no greeting, ever
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  const lines: string[] = [];
  const gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${(silent.address() as { port: number }).port}`], timeout: 60 },
  }, createLog('info', (l) => lines.push(l), false));
  try {
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true });
    await client.sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw: 'Subject: stuck\r\n\r\nx\r\n' });
    client.close();
    await eventually(() => held.length > 0);
    const started = Date.now();
    await gw.stop(500);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(gw.spool.pending()).toHaveLength(1);
    expect(lines.some((l) => l.includes('"event":"stopped"'))).toBe(true);
  } finally {
    for (const s of held) s.destroy();
    await new Promise((r) => silent.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
