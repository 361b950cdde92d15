/**
 * At the end of stop()'s grace time a delivery still running is cut: its line says the shutdown
 * cut it, and nothing of it is left to keep the process alive once `stopped` is logged (the
 * CLI's process exits when its event loop is empty).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { createLog, defaultConfig, startGateway } from '../src/index';
import { eventually } from './hub-sink';

/**
 * A hub that greets, answers EHLO (with `ehlo` false: never) and the envelope, then never
 * answers the final dot; nor does it close its side when the gateway closes its own.
 */
async function stuckHub(ehlo = true): Promise<{ server: Server; port: number; held: Socket[]; dots: () => number }> {
  const held: Socket[] = [];
  let dots = 0;
  const server = createServer({ allowHalfOpen: true }, (c) => {
    held.push(c);
    c.on('error', () => undefined);
    c.write('220 stuck ESMTP\r\n');
    let data = false;
    let buffer = '';
    c.on('data', (d: Buffer) => {
      buffer += d.toString('latin1');
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        const line = buffer.slice(0, i + 1);
        buffer = buffer.slice(i + 1);
        if (data) {
          if (line === '.\r\n') dots++; // and no answer, ever
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') {
          if (ehlo) c.write('250-stuck\r\n250 PIPELINING\r\n');
        } else if (verb === 'DATA') {
          data = true;
          c.write('354 go\r\n');
        } else if (verb === 'QUIT') c.end('221 bye\r\n');
        else c.write('250 ok\r\n');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { server, port: (server.address() as { port: number }).port, held, dots: () => dots };
}

/** Sockets of this process still open to `port`. */
const openTo = (port: number): Socket[] =>
  (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().filter((h): h is Socket => h instanceof Socket && h.remotePort === port && !h.destroyed);

async function run(hub: Awaited<ReturnType<typeof stuckHub>>, raw: string, sent: () => boolean): Promise<{ lines: string[]; pending: number; sockets: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-shutdown-cut-'));
  writeFileSync(join(dir, 'policy.yaml'), 'version: 1\nsmtp: { greetPause: 0 }\nrcpt:\n  rules:\n    - id: all\n      do: [ accept ]\n');
  const lines: string[] = [];
  const gw = await startGateway({
    ...defaultConfig(dir), policy: join(dir, 'policy.yaml'), listeners: [{ listen: '127.0.0.1:0' }],
    delivery: { mode: 'smtp', hubs: [`127.0.0.1:${hub.port}`], timeout: 60 },
  }, createLog('info', (l) => lines.push(l), false));
  try {
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: gw.addresses[0]!.port, ignoreTLS: true });
    await client.sendMail({ envelope: { from: 'a@example.org', to: ['b@acme.example'] }, raw });
    client.close();
    await eventually(sent);
    await gw.stop(300);
    return { lines, pending: gw.spool.pending().length, sockets: openTo(hub.port).length };
  } finally {
    for (const s of hub.held) s.destroy();
    await new Promise((r) => hub.server.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const deliveryLine = (lines: string[]): Record<string, unknown> => JSON.parse(lines.find((l) => l.includes('"event":"delivery"'))!) as Record<string, unknown>;

it('cuts a hub stuck at the end of DATA: the line says so, and no socket to it is left after stopped', async () => {
  const hub = await stuckHub();
  const r = await run(hub, 'Subject: stuck\r\n\r\nx\r\n', () => hub.dots() > 0);
  expect(deliveryLine(r.lines)).toMatchObject({ outcome: 'temporary', detail: `127.0.0.1:${hub.port}: cut at shutdown, still running after the 0.3 s grace time` });
  expect(r.pending).toBe(1);
  // nodemailer half-closed it and waited up to 5 s for the hub to close its side.
  expect(r.sockets).toBe(0);
}, 20_000);

it('cuts a probe of what the hub offers (an 8-bit message) that the hub never answers', async () => {
  const hub = await stuckHub(false);
  const started = Date.now();
  const r = await run(hub, 'Subject: caf\u00e9\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf\u00e9\r\n', () => hub.held.length > 0);
  // The probe waits delivery.timeout (60 s) for an EHLO answer: stop() no longer does.
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(deliveryLine(r.lines)).toMatchObject({ outcome: 'temporary', detail: `127.0.0.1:${hub.port}: cut at shutdown, still running after the 0.3 s grace time` });
  expect(r.sockets).toBe(0);
}, 20_000);
