/**
 * The targets of the gateway benchmark, each started fresh on a free loopback port in front of
 * one smtp-sink and stopped after its cell: the sink itself, the bare relay, Haraka, a private
 * Postfix and `mailward serve` (greet pause 0, or smtp-server's 100 ms left in).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { freePort, waitForPort, type SmtpSink } from '../packages/gateway/test/support/postfix-tools';
import { startHarakaRelay } from './haraka-relay';
import { startPostfixRelay } from './postfix-relay';
import { spawnGroup } from './process-group';

const REPO = resolve(__dirname, '..');
const MAILWARD_BIN = join(REPO, 'packages/cli/bin/mailward.js');
const FIREBOX = join(REPO, 'examples/firebox-inbound/policy.yaml');

export const ALL_TARGETS = ['sink', 'bare-relay', 'haraka', 'postfix', 'mailward', 'mailward-100'] as const;
export type TargetName = (typeof ALL_TARGETS)[number];
/** What a run without --targets drives: the five of the issue. */
export const DEFAULT_TARGETS: TargetName[] = ['sink', 'bare-relay', 'haraka', 'postfix', 'mailward'];

/** A running target: where to send, whose process tree to account, how to stop it. */
export interface Target {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

async function startBareRelay(sinkPort: number): Promise<Target> {
  const port = await freePort();
  const relay = spawnGroup(process.execPath, [join(__dirname, 'bare-relay.js'), String(port), String(sinkPort)], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  try {
    await waitForPort(port);
  } catch (err) {
    await relay.stop();
    throw err;
  }
  return { port, pid: relay.child.pid!, stop: () => relay.stop() };
}

async function startMailward(sinkPort: number, greetPause: number, work: string, maxSizeMb?: number): Promise<Target> {
  const dir = mkdtempSync(join(work, 'mailward-'));
  let policy = readFileSync(FIREBOX, 'utf8').replace(/^smtp:\n/m, `smtp:\n  greetPause: ${greetPause}ms\n`);
  if (maxSizeMb) policy = policy.replace(/^ {2}maxSize: .*$/m, `  maxSize: ${maxSizeMb}MB`);
  writeFileSync(join(dir, 'policy.yaml'), policy);
  // The spool fsyncs each message and the queue record (there is no setting to turn that off).
  writeFileSync(join(dir, 'gateway.yaml'), [
    'hostname: bench.mailward.test', 'policy: policy.yaml', 'listeners: [{ listen: "127.0.0.1:0" }]', 'spool: spool',
    `delivery: { mode: smtp, hubs: ["127.0.0.1:${sinkPort}"] }`, 'queue: { scanPeriod: 0.05 }',
    'secret: bench-secret-0123456789abcdef', 'log: { level: error, format: json }', '',
  ].join('\n'));
  // Run as an admin runs it: the bin itself, so its #! line's node options apply (with the node running this).
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
  const serve = spawnGroup(MAILWARD_BIN, ['serve', '--config', join(dir, 'gateway.yaml')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async (): Promise<void> => {
    await serve.stop(5000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const port = await new Promise<number>((resolvePort, reject) => {
      let out = '';
      serve.child.stdout!.on('data', (d: Buffer) => {
        out = (out + d.toString()).slice(-4000);
        const m = /listening on [^\s]*:(\d+)/.exec(out);
        if (m) resolvePort(Number(m[1]));
      });
      serve.child.once('exit', (code) => reject(new Error(`mailward serve exited (${code}) before listening: ${out}`)));
      setTimeout(() => reject(new Error(`mailward serve not listening after 30 s: ${out}`)), 30_000).unref();
    });
    return { port, pid: serve.child.pid!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Starts one target in front of the sink; `maxSizeMb` lifts the size limits that are under it (the 50 MB run). */
export async function startTarget(name: TargetName, sink: SmtpSink, work: string, maxSizeMb?: number): Promise<Target> {
  switch (name) {
    case 'sink': return { port: sink.port, pid: sink.process.pid!, stop: async () => undefined };
    case 'bare-relay': return startBareRelay(sink.port);
    case 'haraka': return startHarakaRelay(sink.port, work, maxSizeMb);
    case 'postfix': return startPostfixRelay(sink.port, work);
    case 'mailward': return startMailward(sink.port, 0, work, maxSizeMb);
    case 'mailward-100': return startMailward(sink.port, 100, work, maxSizeMb);
  }
}
