/**
 * SIGHUP (kill -HUP, the reload signal of most mail servers, or the terminal that started
 * `mailward serve` going away) killed the gateway outright: no graceful stop, sessions cut, and
 * under systemd a clean signal exit is not restarted. It is now said and ignored: the policy
 * and gateway.yaml are read at start, so a change needs a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

test('SIGHUP is logged and ignored; SIGTERM still stops the gateway with exit 0', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'mw-serve-hup-'));
  try {
    const r = await runCli(['serve', '--listen', '127.0.0.1:0', '--log-format', 'json'], tmp, /listening on/, 'SIGHUP');
    expect(r.code).toBe(0);
    const events = r.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.find((e) => e.signal === 'SIGHUP')).toMatchObject({ level: 'warn', event: 'signal', action: 'ignored', message: expect.stringMatching(/restart/) });
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['stopping', 'stopped']));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
