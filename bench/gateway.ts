/**
 * The gateway against its peers (issue #4), driven by Postfix's smtp-source on free loopback
 * ports, every target delivering to one smtp-sink (targets: ./gateway-targets.ts):
 *   sink         smtp-source -> smtp-sink directly (the ceiling)
 *   bare-relay   smtp-server -> nodemailer, no policy, no spool (the floor any Node proxy pays)
 *   haraka       Haraka 3 (nodes=0), rcpt_to.in_host_list + queue/smtp_forward
 *   postfix      a private Postfix relaying to the sink (the C anchor, fsync on)
 *   mailward     `mailward serve`, Firebox inbound policy, fsync on, greet pause 0
 *   mailward-100 the same with smtp-server's 100 ms greet pause (only with --targets)
 * Both session modes (smtp-source -d; one connection per message), 1/10/50 sessions, 5 KB /
 * 100 KB / 5 MB messages with a base64 attachment. Each cell starts its target fresh, sends
 * warm-up batches that also size the measured batches to about --seconds each (default 1.5), then
 * times up to 3 batches until the sink has counted each (end to end, queues included) and reports
 * the median. CPU and peak RSS are the target's whole process tree (./process-tree.ts). Then one
 * 50 MB message per relay, for peak RSS (size limits raised to 100 MB for it: the Firebox
 * policy's is 10 MB, Haraka's 25 MB). Results: bench/results/gateway-<date>.md (+ .json).
 *
 *   npm run build && node -r ts-node/register/transpile-only bench/gateway.ts [--quick] [--targets a,b]
 *     [--sizes 5KB,100KB,5MB] [--sessions 1,10,50] [--seconds 1.5] [--no-50mb]
 *
 * Not a test: the numbers depend on the machine and on whatever else runs on it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runSmtpSource, startSmtpSink, type SmtpSink } from '../packages/gateway/test/support/postfix-tools';
import { report, type Cell } from './gateway-report';
import { ALL_TARGETS, DEFAULT_TARGETS, startTarget, type Target, type TargetName } from './gateway-targets';
import { postfixVersion } from './postfix-relay';
import { treePssMb, treeUsage } from './process-tree';

const REPO = resolve(__dirname, '..');
const SIZES: Record<string, number> = { '5KB': 5 * 1024, '100KB': 100 * 1024, '5MB': 5 * 1024 * 1024, '50MB': 50 * 1024 * 1024 };
/** Most messages one batch sends, whatever the rate (the sink at 5 KB would take tens of thousands). */
const CAP: Record<string, number> = { '5KB': 20_000, '100KB': 5_000, '5MB': 150, '50MB': 1 };

/** A message of about `bytes` octets: a text part and a base64 PDF the Firebox policy keeps. */
function messageOf(bytes: number): string {
  const payload = Math.max(64, Math.floor(((bytes - 600) * 3) / 4));
  const blob = Buffer.alloc(payload, 0x5a).toString('base64').replace(/.{76}/g, '$&\n');
  return [
    'From: Penny <penny@example.org>', 'To: Al <al@acme.example>', 'Subject: bench', 'Date: Sun, 22 Nov 2026 20:00:00 +0000',
    'Message-ID: <bench@example.org>', 'X-Mailer: bench', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
    '--b', 'Content-Type: text/plain', '', 'The report is attached.', '--b', 'Content-Type: application/pdf; name="report.pdf"',
    'Content-Disposition: attachment; filename="report.pdf"', 'Content-Transfer-Encoding: base64', '', blob.trimEnd(), '--b--', '',
  ].join('\n');
}

interface Batch {
  size: string;
  mode: Cell['mode'];
  sessions: number;
  file: string;
}

/** Sends `count` messages with smtp-source and waits until the sink has them; returns seconds. */
async function send(target: Target, sink: SmtpSink, b: Batch, count: number): Promise<number> {
  const base = sink.messages();
  const started = process.hrtime.bigint();
  const args = ['-s', String(b.sessions), '-m', String(count), '-F', b.file, '-f', 'penny@example.org', '-t', 'al@acme.example', '-M', 'bench.example.org'];
  if (b.mode === 'persistent') args.unshift('-d');
  // A target that stalls fails its cell instead of the run (stopping it ends smtp-source too).
  const limitMs = 120_000 + count * 200;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no end after ${limitMs / 1000} s; sink has ${sink.messages() - base} of ${count}`)), limitMs)));
  try {
    const result = await Promise.race([runSmtpSource(args, target.port), stalled]);
    if (result.code !== 0) throw new Error(`smtp-source: ${result.stderr.trim().split('\n').slice(-2).join(' ')}`);
    while (sink.messages() < base + count) await Promise.race([new Promise((r) => setTimeout(r, 5)), stalled]);
  } finally {
    clearTimeout(timer);
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The target and sink of the cell under way, for an interrupted run to stop (Postfix outlives the bench otherwise). */
let running: { stop(): Promise<void> }[] = [];
/** The run's temporary folder (messages, target configs, the Postfix queue), removed on an interrupt too. */
let workDir: string | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`${signal}: stopping the running target\n`);
    void Promise.allSettled(running.map((r) => r.stop())).finally(() => {
      if (workDir) rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
}

/** Measured batches per cell; the cell reports the median batch's rate (the machine is shared: one slow batch is noise). */
const BATCHES = 3;

/** One cell: a fresh sink and target, warm-up batches that size the measured ones, up to BATCHES measured batches. */
async function runCell(name: TargetName, b: Batch, seconds: number, work: string, warmUp = true): Promise<Cell> {
  const cell: Cell = { target: name, size: b.size, mode: b.mode, sessions: b.sessions, batches: 0, messages: 0, seconds: 0, rate: 0, mbps: 0, startRssMb: 0, peakRssMb: 0, peakPssMb: 0, cpuMsPerMessage: 0, processes: 0 };
  const sink = await startSmtpSink();
  let target: Target | undefined;
  try {
    running = [sink];
    target = await startTarget(name, sink, work, b.size === '50MB' ? 100 : undefined);
    running = [target, sink];
    cell.startRssMb = treeUsage(target.pid).peakRssMb;
    const t = target;
    // PSS is read between batches only: smaps_rollup is slow enough here to slow a timed batch.
    const timed = async (n: number): Promise<number> => {
      const took = await send(t, sink, b, n);
      cell.peakPssMb = Math.max(cell.peakPssMb, treePssMb(t.pid));
      return took;
    };
    let count = 1;
    if (warmUp) {
      // Warm-up batches, doubled until one takes half a second: JIT and pools warm, and a rate to size the batches by.
      let probe = Math.min(CAP[b.size]!, Math.max(b.sessions, Math.ceil(2 ** 20 / SIZES[b.size]!)));
      let took = await timed(probe);
      for (let i = 0; i < 4 && took < 0.5 && probe < CAP[b.size]!; i++) took = await timed((probe = Math.min(CAP[b.size]!, probe * 2)));
      // Persistent sessions must carry several messages each; 5 MB over 50 sessions cannot afford three.
      const perSession = SIZES[b.size]! <= SIZES['100KB']! ? 3 : 1;
      count = Math.min(CAP[b.size]!, Math.max(b.sessions * perSession, 4, Math.round((probe / took) * seconds)));
    }
    const before = treeUsage(target.pid);
    const rates: number[] = [];
    // Fewer batches when they run long (5 MB over 50 sessions: at least 50 messages each).
    while (rates.length < (warmUp ? BATCHES : 1) && cell.seconds < BATCHES * seconds) {
      const took = await timed(count);
      rates.push(count / took);
      cell.seconds += took;
      cell.messages += count;
    }
    const after = treeUsage(target.pid);
    rates.sort((x, y) => x - y);
    cell.batches = rates.length;
    cell.rate = rates.length % 2 ? rates[(rates.length - 1) / 2]! : (rates[rates.length / 2 - 1]! + rates[rates.length / 2]!) / 2;
    cell.mbps = (cell.rate * SIZES[b.size]!) / 2 ** 20;
    cell.peakRssMb = after.peakRssMb;
    cell.processes = after.processes;
    cell.cpuMsPerMessage = (after.cpuMs - before.cpuMs) / cell.messages;
  } catch (err) {
    cell.error = (err as Error).message;
  } finally {
    await target?.stop();
    running = [];
    await sink.stop();
  }
  return cell;
}

function versions(): Record<string, string> {
  const pkg = (name: string): string => {
    try {
      const file = name.startsWith('.') ? join(REPO, name, 'package.json') : require.resolve(`${name}/package.json`);
      return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  let commit = '?';
  try {
    // Others edit the same tree: say whether the built packages had uncommitted changes.
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages'], { cwd: REPO, encoding: 'utf8' }).trim() !== '';
    commit = dirty ? `${head} + uncommitted changes in packages/` : head;
  } catch { /* not a git checkout */ }
  return { node: process.version, mailward: `${pkg('./packages/cli')} (${commit})`, 'smtp-server': pkg('smtp-server'), nodemailer: pkg('nodemailer'), Haraka: pkg('Haraka'), Postfix: postfixVersion() };
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function log(c: Cell): void {
  process.stderr.write(`${c.target.padEnd(12)} ${c.size.padEnd(5)} ${c.mode.padEnd(11)} s=${String(c.sessions).padEnd(3)} ` +
    (c.error ? `FAILED ${c.error}\n` : `${c.batches} batches, ${c.messages} msgs ${c.seconds.toFixed(2)} s ${c.rate.toFixed(1)} msgs/s ${c.mbps.toFixed(1)} MB/s, ${c.peakRssMb.toFixed(0)} MB RSS, ${c.cpuMsPerMessage.toFixed(2)} CPU ms/msg\n`));
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const chosen = (flag(argv, '--targets')?.split(',') ?? DEFAULT_TARGETS) as TargetName[];
  const unknown = chosen.filter((t) => !ALL_TARGETS.includes(t));
  if (unknown.length) throw new Error(`unknown target ${unknown.join(', ')}: choose from ${ALL_TARGETS.join(', ')}`);
  const seconds = Number(flag(argv, '--seconds') ?? (quick ? 0.7 : 1.5));
  const sizes = flag(argv, '--sizes')?.split(',') ?? (quick ? ['5KB', '100KB'] : ['5KB', '100KB', '5MB']);
  const sessionCounts = flag(argv, '--sessions')?.split(',').map(Number) ?? (quick ? [10] : [1, 10, 50]);
  const badSize = sizes.find((s) => !(s in SIZES) || s === '50MB');
  if (badSize) throw new Error(`unknown size ${badSize}: choose from 5KB, 100KB, 5MB`);
  const modes: Cell['mode'][] = ['persistent', 'per-message'];
  const work = (workDir = mkdtempSync(join(tmpdir(), 'mw-bench-gateway-')));
  const started = Date.now();
  const cells: Cell[] = [];
  const big: Cell[] = [];
  try {
    const files: Record<string, string> = {};
    for (const size of [...sizes, '50MB']) writeFileSync((files[size] = join(work, `${size}.eml`)), messageOf(SIZES[size]!));
    for (const size of sizes) {
      for (const mode of modes) {
        for (const sessions of sessionCounts) {
          for (const target of chosen) {
            const cell = await runCell(target, { size, mode, sessions, file: files[size]! }, seconds, work);
            cells.push(cell);
            log(cell);
          }
        }
      }
    }
    if (!quick && !argv.includes('--no-50mb')) {
      for (const target of chosen.filter((t) => t !== 'sink')) {
        const cell = await runCell(target, { size: '50MB', mode: 'persistent', sessions: 1, file: files['50MB']! }, seconds, work, false);
        big.push(cell);
        log(cell);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const notes = [
    `${quick ? 'Quick run' : 'Full run'}: ${((Date.now() - started) / 60000).toFixed(1)} min. Each cell starts its target fresh, sends warm-up batches, then up to ${BATCHES} measured batches sized to about ${seconds} s each (at least 4 messages, and 3 per session up to 100 KB, 1 at 5 MB; at most ${CAP['5KB']} / ${CAP['100KB']} / ${CAP['5MB']} for 5 KB / 100 KB / 5 MB; fewer batches when they run past ${BATCHES * seconds} s in all).`,
    'msgs/s and MB/s: the median measured batch, end to end (smtp-source start until smtp-sink has counted every message of the batch). msgs and s: all measured batches.',
    'CPU ms/msg, peak RSS and peak PSS are the target\'s process tree (Postfix: master and every daemon). Peak RSS sums each process\'s VmHWM, so shared pages count once per process (this inflates Postfix); PSS splits shared pages; it is read after each batch (not during: reading it is slow here), so it is a lower bound of the peak. The sink row is the sink\'s own.',
    'Haraka answers end of DATA about 45 ms late per message (queue/smtp_forward waiting on its forward to the sink; with queue/discard the reply takes under 1 ms), so its one-session rows are latency-bound, not CPU-bound.',
    'The 50 MB run sends one message per target with the size limits under 50 MB raised to 100 MB (Firebox policy maxSize 10 MB, Haraka 25 MB, Postfix 10 MB).',
    'Noisy: 2 cores shared with other jobs, smtp-source and smtp-sink on the same cores as the target.',
  ];
  const text = report(cells, big, versions(), notes);
  const out = join(REPO, 'bench/results');
  mkdirSync(out, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  writeFileSync(join(out, `gateway-${stamp}.md`), text);
  writeFileSync(join(out, `gateway-${stamp}.json`), JSON.stringify({ versions: versions(), cells, big }, null, 1) + '\n');
  process.stdout.write(text);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
