/**
 * Haraka 3 as a plain relay for the gateway benchmark: `haraka -c DIR` (nodes=0, one process)
 * with rcpt_to.in_host_list + queue/smtp_forward to the sink, on a free loopback port.
 *
 * Readiness is a connect to that port, not Haraka's "Listening on" line: that line is a notice,
 * and with loglevel error (kept low so logging costs Haraka nothing here) it never comes, which
 * is what hung the 2026-11-22 run. Haraka runs in its own process group; stop() ends the group.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from '../packages/gateway/test/support/postfix-tools';
import { spawnGroup } from './process-group';

const HARAKA_BIN = require.resolve('Haraka/bin/haraka');

export interface HarakaRelay {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** Starts Haraka relaying acme.example to the sink (`maxSizeMb` raises its message size limit); `stop()` ends it and removes its folder. */
export async function startHarakaRelay(sinkPort: number, work: string, maxSizeMb?: number): Promise<HarakaRelay> {
  const dir = join(mkdtempSync(join(work, 'haraka-')), 'haraka');
  await promisify(execFile)(process.execPath, [HARAKA_BIN, '-i', dir]);
  const port = await freePort();
  const files: Record<string, string> = {
    'smtp.ini': `[main]\nlisten=127.0.0.1:${port}\nnodes=0\n`,
    me: 'mx.haraka.test\n',
    loglevel: 'error\n',
    plugins: 'rcpt_to.in_host_list\nqueue/smtp_forward\n',
    host_list: 'acme.example\n',
    'smtp_forward.ini': `host=127.0.0.1\nport=${sinkPort}\nenable_tls=false\n`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'config', name), text);
  if (maxSizeMb) {
    const ini = join(dir, 'config', 'connection.ini'); // [max] bytes, 25 MB as `haraka -i` writes it
    writeFileSync(ini, readFileSync(ini, 'utf8').replace(/^bytes=\d+$/m, `bytes=${maxSizeMb * 2 ** 20}`));
  }
  const haraka = spawnGroup(process.execPath, [HARAKA_BIN, '-c', dir], {
    cwd: dir, env: { ...process.env, HARAKA: dir, NODE_ENV: 'production' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  const keep = (d: Buffer): void => void (logs = (logs + d.toString()).slice(-2000));
  haraka.child.stdout!.on('data', keep);
  haraka.child.stderr!.on('data', keep);
  const stop = async (): Promise<void> => {
    await haraka.stop();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  };
  const died = haraka.exited.then(() => Promise.reject(new Error('exited')));
  died.catch(() => undefined); // only the race below looks at it
  try {
    await Promise.race([waitForPort(port, 600), died]);
  } catch (err) {
    await stop();
    throw new Error(`Haraka did not start (${(err as Error).message}): ${logs.trim().slice(-500)}`);
  }
  return { port, pid: haraka.child.pid!, stop };
}
