/**
 * The gateway against its peers, driven by Postfix's smtp-source on free loopback ports, all
 * delivering to one smtp-sink:
 *   sink         smtp-source -> smtp-sink directly (the ceiling)
 *   bare-relay   a bare smtp-server -> nodemailer relay, no policy, no spool (the floor any Node
 *                proxy pays; greet pause 0)
 *   haraka       Haraka 3 (nodes=0) with rcpt_to.in_host_list + queue/smtp_forward
 *   mailward     `mailward serve` with the Firebox inbound policy, fsync on, greet pause 0
 *   mailward-100 the same with smtp-server's 100 ms greet pause left in (the pregreet check)
 * in both session modes (persistent sessions, smtp-source -d; one connection per message),
 * 1/10/50 sessions, 5 KB / 100 KB / 5 MB messages with a base64 attachment. Messages/s and MB/s
 * run until the sink has every message (end to end, the queue included); peak RSS and CPU ms per
 * message are the target process's (from /proc). Then one 50 MB message through the bare relay
 * and mailward, for peak RSS. Results: bench/results/gateway-<date>.md (+ .json).
 *
 *   npm run build && node -r ts-node/register/transpile-only bench/gateway.ts [--quick] [--targets a,b]
 *
 * Not a test: numbers depend on the machine. The Postfix relay the issue also asks for is not
 * run here yet (see the report's notes).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir, type as osType, release } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, runSmtpSource, startSmtpSink, waitForPort, type SmtpSink } from '../packages/gateway/test/support/postfix-tools';

const REPO = resolve(__dirname, '..');
const MAILWARD_BIN = join(REPO, 'packages/cli/bin/mailward.js');
const FIREBOX = join(REPO, 'examples/firebox-inbound/policy.yaml');
const TS_NODE = ['-r', 'ts-node/register/transpile-only'];

type TargetName = 'sink' | 'bare-relay' | 'haraka' | 'mailward' | 'mailward-100';
const ALL_TARGETS: TargetName[] = ['sink', 'bare-relay', 'haraka', 'mailward', 'mailward-100'];

interface Target {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

interface Cell {
  target: TargetName;
  size: string;
  mode: 'persistent' | 'per-message';
  sessions: number;
  messages: number;
  seconds: number;
  rate: number;
  mbps: number;
  peakRssMb: number;
  cpuMsPerMessage: number;
  error?: string;
}

// ---------------------------------------------------------------- messages

const SIZES: Record<string, number> = { '5KB': 5 * 1024, '100KB': 100 * 1024, '5MB': 5 * 1024 * 1024, '50MB': 50 * 1024 * 1024 };

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

// ---------------------------------------------------------------- process accounting

function procStat(pid: number): { cpuMs: number; peakRssMb: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
    return { cpuMs: ticks * 10, peakRssMb: hwm ? Number(hwm[1]) / 1024 : 0 };
  } catch {
    return { cpuMs: 0, peakRssMb: 0 };
  }
}

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = waitExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------- targets

async function startBareRelay(sinkPort: number): Promise<Target> {
  const port = await freePort();
  const child = spawn(process.execPath, [...TS_NODE, __filename, '--bare-relay', String(port), String(sinkPort)], { cwd: REPO, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitForPort(port);
  return { port, pid: child.pid!, stop: () => stopChild(child) };
}

async function startMailward(sinkPort: number, greetPause: number, work: string): Promise<Target> {
  const dir = mkdtempSync(join(work, 'mailward-'));
  // The Firebox example with the greet pause of this run.
  const policy = readFileSync(FIREBOX, 'utf8').replace(/^smtp:\n/m, `smtp:\n  greetPause: ${greetPause}ms\n`);
  writeFileSync(join(dir, 'policy.yaml'), policy);
  writeFileSync(join(dir, 'gateway.yaml'), [
    'hostname: bench.mailward.test', 'policy: policy.yaml', 'listeners: [{ listen: "127.0.0.1:0" }]', 'spool: spool',
    `delivery: { mode: smtp, hubs: ["127.0.0.1:${sinkPort}"] }`, 'queue: { scanPeriod: 0.05 }',
    'secret: bench-secret-0123456789abcdef', 'log: { level: error, format: json }', '',
  ].join('\n'));
  const child = spawn(process.execPath, [MAILWARD_BIN, 'serve', '--config', join(dir, 'gateway.yaml')], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on [^\s]*:(\d+)/.exec(out);
      if (m) resolvePort(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`mailward serve exited (${code}) before listening: ${out}`)));
  });
  return {
    port, pid: child.pid!,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startHaraka(sinkPort: number): Promise<Target> {
  // Loaded lazily: only this target needs the Haraka adapter's test support.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { HarakaProcess } = require('../packages/adapter-haraka/test/support/haraka-process') as typeof import('../packages/adapter-haraka/test/support/haraka-process');
  const haraka = await HarakaProcess.start({
    plugins: ['rcpt_to.in_host_list', 'queue/smtp_forward'],
    files: { host_list: 'acme.example\n', loglevel: 'error\n' },
    sinkPort,
  });
  const pid = (haraka as unknown as { child: ChildProcess }).child.pid!;
  return { port: haraka.port, pid, stop: () => haraka.stop() };
}

async function startTarget(name: TargetName, sink: SmtpSink, work: string): Promise<Target> {
  switch (name) {
    case 'sink': return { port: sink.port, pid: sink.process.pid!, stop: async () => undefined };
    case 'bare-relay': return startBareRelay(sink.port);
    case 'haraka': return startHaraka(sink.port);
    case 'mailward': return startMailward(sink.port, 0, work);
    case 'mailward-100': return startMailward(sink.port, 100, work);
  }
}

// ---------------------------------------------------------------- one cell

async function waitForSink(sink: SmtpSink, count: number, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (sink.messages() < count) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

async function runCell(name: TargetName, size: string, mode: Cell['mode'], sessions: number, messages: number, file: string, work: string): Promise<Cell> {
  // A fresh sink per cell keeps its counter and the target's peak RSS to this cell alone.
  const sink = await startSmtpSink();
  const cell: Cell = { target: name, size, mode, sessions, messages, seconds: 0, rate: 0, mbps: 0, peakRssMb: 0, cpuMsPerMessage: 0 };
  let target: Target | undefined;
  try {
    target = await startTarget(name, sink, work);
    const before = procStat(target.pid);
    const started = process.hrtime.bigint();
    const args = ['-s', String(sessions), '-m', String(messages), '-F', file, '-f', 'penny@example.org', '-t', 'al@acme.example', '-M', 'bench.example.org'];
    if (mode === 'persistent') args.unshift('-d');
    const result = await runSmtpSource(args, target.port);
    if (result.code !== 0) throw new Error(`smtp-source: ${result.stderr.trim().split('\n').slice(-2).join(' ')}`);
    if (!(await waitForSink(sink, messages, 120_000))) throw new Error(`sink got ${sink.messages()} of ${messages}`);
    cell.seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = procStat(target.pid);
    cell.rate = messages / cell.seconds;
    cell.mbps = (messages * SIZES[size]!) / 1024 / 1024 / cell.seconds;
    cell.peakRssMb = after.peakRssMb;
    cell.cpuMsPerMessage = (after.cpuMs - before.cpuMs) / messages;
  } catch (err) {
    cell.error = (err as Error).message;
  } finally {
    await target?.stop();
    await sink.stop();
  }
  return cell;
}

/** How many messages a cell sends: enough to measure, few enough to finish (100 ms greetings are slow). */
function messagesFor(size: string, mode: Cell['mode'], sessions: number, quick: boolean): number {
  const perSession = { '5KB': 60, '100KB': 20, '5MB': 2 }[size] ?? 1;
  const each = mode === 'persistent' ? perSession : Math.ceil(perSession / 3);
  const cap = { '5KB': 3000, '100KB': 1000, '5MB': 100 }[size] ?? 10;
  const n = Math.min(sessions * each, cap);
  return Math.max(sessions, quick ? Math.ceil(n / 2) : n);
}

// ---------------------------------------------------------------- report

function versions(): Record<string, string> {
  const pkg = (name: string): string => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  let postfix = '?';
  try {
    postfix = execFileSync('postconf', ['-d', 'mail_version'], { encoding: 'utf8' }).split('=')[1]!.trim();
  } catch { /* unpacked .deb without postconf */ }
  return { node: process.version, 'smtp-server': pkg('smtp-server'), nodemailer: pkg('nodemailer'), Haraka: pkg('Haraka'), 'postfix smtp-source/sink': postfix };
}

function report(cells: Cell[], big: Cell[]): string {
  const cpu = cpus();
  const lines = [
    `# Gateway benchmark, ${new Date().toISOString()}`, '',
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}`,
    `Versions: ${Object.entries(versions()).map(([k, v]) => `${k} ${v}`).join(', ')}`, '',
    'End to end (smtp-source start until smtp-sink counted every message). RSS and CPU are the target process\'s.', '',
    '| target | size | mode | sessions | msgs | s | msgs/s | MB/s | peak RSS MB | CPU ms/msg |', '|---|---|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const c of cells) {
    lines.push(c.error
      ? `| ${c.target} | ${c.size} | ${c.mode} | ${c.sessions} | ${c.messages} | failed: ${c.error.replace(/\|/g, '/')} | | | | |`
      : `| ${c.target} | ${c.size} | ${c.mode} | ${c.sessions} | ${c.messages} | ${c.seconds.toFixed(2)} | ${c.rate.toFixed(1)} | ${c.mbps.toFixed(1)} | ${c.peakRssMb.toFixed(0)} | ${c.cpuMsPerMessage.toFixed(2)} |`);
  }
  lines.push('', '## Ratios: mailward msgs/s divided by each peer\'s (same size, mode, sessions)', '');
  const peers = [...new Set(cells.map((c) => c.target))].filter((t) => t !== 'mailward');
  lines.push(`| size | mode | sessions | ${peers.map((p) => `vs ${p}`).join(' | ')} |`, `|---|---|--:|${peers.map(() => '--:').join('|')}|`);
  for (const m of cells.filter((c) => c.target === 'mailward')) {
    const ratio = (peer: string): string => {
      const p = cells.find((c) => c.target === peer && c.size === m.size && c.mode === m.mode && c.sessions === m.sessions);
      return p && p.rate > 0 && m.rate > 0 ? `${(m.rate / p.rate).toFixed(2)}x` : '-';
    };
    lines.push(`| ${m.size} | ${m.mode} | ${m.sessions} | ${peers.map(ratio).join(' | ')} |`);
  }
  if (big.length) {
    lines.push('', '## One 50 MB message, one session: peak RSS', '', '| target | s | peak RSS MB |', '|---|--:|--:|');
    for (const b of big) lines.push(b.error ? `| ${b.target} | failed: ${b.error} | |` : `| ${b.target} | ${b.seconds.toFixed(2)} | ${b.peakRssMb.toFixed(0)} |`);
    const bare = big.find((b) => b.target === 'bare-relay');
    const mw = big.find((b) => b.target === 'mailward');
    if (bare?.peakRssMb && mw?.peakRssMb) lines.push('', `mailward / bare relay peak RSS: ${(mw.peakRssMb / bare.peakRssMb).toFixed(2)}x (goal <= 1.2x)`);
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- main

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const chosen = argv.includes('--targets') ? (argv[argv.indexOf('--targets') + 1] ?? '').split(',') as TargetName[] : ALL_TARGETS;
  const sizes = quick ? ['5KB', '100KB'] : ['5KB', '100KB', '5MB'];
  const sessionCounts = quick ? [10] : [1, 10, 50];
  const modes: Cell['mode'][] = ['persistent', 'per-message'];
  const work = mkdtempSync(join(tmpdir(), 'mw-bench-gateway-'));
  const cells: Cell[] = [];
  const big: Cell[] = [];
  try {
    const files: Record<string, string> = {};
    for (const size of [...sizes, '50MB']) {
      files[size] = join(work, `${size}.eml`);
      writeFileSync(files[size]!, messageOf(SIZES[size]!));
    }
    for (const size of sizes) {
      for (const mode of modes) {
        for (const sessions of sessionCounts) {
          for (const target of chosen) {
            const messages = messagesFor(size, mode, sessions, quick);
            const cell = await runCell(target, size, mode, sessions, messages, files[size]!, work);
            cells.push(cell);
            process.stderr.write(`${target.padEnd(12)} ${size.padEnd(5)} ${mode.padEnd(11)} s=${String(sessions).padEnd(3)} ` +
              (cell.error ? `FAILED ${cell.error}\n` : `${cell.rate.toFixed(1)} msgs/s, ${cell.peakRssMb.toFixed(0)} MB RSS, ${cell.cpuMsPerMessage.toFixed(2)} CPU ms/msg\n`));
          }
        }
      }
    }
    if (!quick) {
      for (const target of (['bare-relay', 'mailward'] as TargetName[]).filter((t) => chosen.includes(t))) {
        big.push(await runCell(target, '50MB', 'persistent', 1, 1, files['50MB']!, work));
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const text = report(cells, big);
  const out = join(REPO, 'bench/results');
  mkdirSync(out, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  writeFileSync(join(out, `gateway-${stamp}.md`), text);
  writeFileSync(join(out, `gateway-${stamp}.json`), JSON.stringify({ versions: versions(), cells, big }, null, 1) + '\n');
  process.stdout.write(text);
}

/** The floor: smtp-server in, nodemailer out, nothing in between (a child process of the bench). */
async function bareRelay(port: number, sinkPort: number): Promise<void> {
  // require, not import(): under module node16 import() stays an ES import that ts-node skips.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { SMTPServer } = require('smtp-server') as typeof import('smtp-server');
  const nodemailer = require('nodemailer') as typeof import('nodemailer');
  const { setGreetPause } = require('../packages/adapter-smtp-server/src/greet-pause') as typeof import('../packages/adapter-smtp-server/src/greet-pause');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const out = nodemailer.createTransport({ host: '127.0.0.1', port: sinkPort, pool: true, maxConnections: 50, ignoreTLS: true });
  const server = new SMTPServer({
    authOptional: true, logger: false, disabledCommands: ['AUTH', 'STARTTLS'],
    onData(stream, session, done) {
      out.sendMail({ envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) }, raw: stream })
        .then(() => done(), (err: Error) => {
          stream.resume();
          done(Object.assign(new Error(`451 ${err.message}`), { responseCode: 451 }));
        });
    },
  });
  setGreetPause(server, 0);
  server.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => server.close(() => process.exit(0)));
}

if (process.argv[2] === '--bare-relay') {
  void bareRelay(Number(process.argv[3]), Number(process.argv[4]));
} else {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
