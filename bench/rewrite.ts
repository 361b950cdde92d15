/**
 * rewrite() throughput and memory, side by side with a bare mailsplit Splitter -> Joiner pass:
 * a 20 MB message with attachments, 10,000 messages of 5 KB, and the peak RSS growth while a
 * 100 MB message streams through (each configuration in a child process of its own, so the
 * heaps and the JIT's type feedback do not mix).
 * Run: npm run bench:rewrite   (node -r ts-node/register/transpile-only bench/rewrite.ts; ROUNDS=N
 * alternations, 3 by default)
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Joiner, Splitter } from '@zone-eu/mailsplit';
import type { Effect } from '../packages/core/src/engine/effect';
import { rewrite } from '../packages/core/src/rewrite/rewrite';

const HEADERS = [
  'Received: from relay.example.net by mx.acme.example; Sun, 22 Nov 2026 20:00:00 +0000',
  'From: "Penny" <penny@dimension.acme.example>',
  'To: bob@smtp.weirdal.com',
  'Subject: quarterly figures',
  'Message-ID: <abc.123@mail.dimension.acme.example>',
  'X-Mailer: Outlook',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="=_bench"',
  '',
  '',
].join('\r\n');

/** A base64 attachment of `size` random bytes, produced lazily in 57-byte lines. */
function* attachment(name: string, type: string, size: number): Generator<Buffer> {
  yield Buffer.from(`--=_bench\r\nContent-Type: ${type}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n`);
  const block = 57 * 1024; // 1024 lines of 76 characters
  for (let done = 0; done < size; done += block) {
    const b64 = randomBytes(Math.min(block, size - done)).toString('base64');
    yield Buffer.from(`${b64.replace(/.{76}/g, '$&\r\n').replace(/\r\n$/, '')}\r\n`);
  }
}

/** A message of about `size` bytes: text, HTML, a small program, a zip, then big attachments. */
function* message(size: number): Generator<Buffer> {
  yield Buffer.from(HEADERS);
  yield Buffer.from('--=_bench\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nFigures attached.\r\n');
  yield Buffer.from('--=_bench\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p onclick="x()">Figures</p><script>track()</script>\r\n');
  yield* attachment('setup.exe', 'application/octet-stream', 40_000);
  yield* attachment('tools.zip', 'application/zip', 60_000);
  const big = Math.max(0, size - 140_000);
  for (let i = 0; i < 4; i++) yield* attachment(`figures-${i}.pdf`, 'application/pdf', Math.floor(big / 4 / 1.35));
  yield Buffer.from('--=_bench--\r\n');
}

const EFFECTS: Effect[] = [
  { type: 'removeHeaders', rule: 'b', names: ['X-Mailer', 'Received'] },
  { type: 'addHeader', rule: 'b', name: 'X-Scanned', value: 'mailward' },
  { type: 'rewriteHeader', rule: 'b', header: 'To', match: '*@smtp.weirdal.com', to: '&@weirdal.com' },
  { type: 'masquerade', rule: 'b', domain: 'acme.example', headers: ['From'], messageId: true },
  { type: 'subjectPrefix', rule: 'b', prefix: '[EXT] ' },
  { type: 'stripPart', rule: 'b', part: { path: '3', carrier: '3', type: 'application/octet-stream', filename: 'setup.exe', size: 40_000 }, notice: 'setup.exe removed' },
  { type: 'stripPart', rule: 'b', part: { path: '4/a.exe', carrier: '4', type: 'application/x-msdownload', filename: 'a.exe', size: 1 }, notice: 'tools.zip removed' },
];

const sink = (): Writable & { bytes: number } => {
  const w = new Writable({ write(chunk: Buffer, _e, done) { w.bytes += chunk.length; done(); } }) as Writable & { bytes: number };
  w.bytes = 0;
  return w;
};

async function passThrough(input: Readable): Promise<number> {
  const out = sink();
  await pipeline(input, new Splitter(), new Joiner(), out);
  return out.bytes;
}

async function rewritten(input: Readable, effects: Effect[]): Promise<number> {
  const out = sink();
  await pipeline(rewrite(input, effects, { secret: 'bench' }), out);
  return out.bytes;
}

/**
 * Best of three runs: the figure least disturbed by GC and other processes. Both wall time and
 * the process's CPU time are kept; on a busy machine the CPU-time ratio is the steadier one.
 */
async function timeIt(fn: () => Promise<number>): Promise<{ ms: number; cpuMs: number; bytes: number }> {
  let best = { ms: Infinity, cpuMs: Infinity, bytes: 0 };
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    const bytes = await fn();
    const used = process.cpuUsage(cpu);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    best = { ms: Math.min(ms, best.ms), cpuMs: Math.min((used.user + used.system) / 1000, best.cpuMs), bytes };
  }
  return best;
}

const ratio = (base: { ms: number; cpuMs: number }, run: { ms: number; cpuMs: number }): string =>
  `ratio ${(base.ms / run.ms).toFixed(2)} (CPU time ${(base.cpuMs / run.cpuMs).toFixed(2)})`;

/** A 20 MB message with attachments, as chunks. */
function large(): Buffer[] {
  return [...message(20 * 1024 * 1024)];
}

/** About 5 KB: headers, a text part, a small program and a small zip (carriers 2 and 3). */
function small(): Buffer {
  return Buffer.concat([
    Buffer.from(HEADERS),
    Buffer.from(`--=_bench\r\nContent-Type: text/plain\r\n\r\n${'Figures for the quarter are attached.\r\n'.repeat(40)}`),
    ...attachment('setup.exe', 'application/octet-stream', 1200),
    ...attachment('tools.zip', 'application/zip', 1200),
    Buffer.from('--=_bench--\r\n'),
  ]);
}
const SMALL_EFFECTS = EFFECTS.map((e) => (e.type === 'stripPart' ? { ...e, part: { ...e.part, carrier: e.part.carrier === '3' ? '2' : '3' } } : e));
const SMALL_COUNT = 10_000; // the issue asks for 10,000 messages of 5 KB per run

type Timing = { ms: number; cpuMs: number; bytes: number };

/** In a child: one configuration, warmed up once, best of three. */
async function timeChild(what: string): Promise<void> {
  const [size, mode] = what.split('/') as ['large' | 'small', 'pass' | 'rewrite' | 'none'];
  const one = (input: Readable): Promise<number> =>
    mode === 'pass' ? passThrough(input) : rewritten(input, mode === 'none' ? [] : size === 'small' ? SMALL_EFFECTS : EFFECTS);
  let run: () => Promise<number>;
  if (size === 'large') {
    const chunks = large();
    run = () => one(Readable.from(chunks));
  } else {
    const five = small();
    run = async () => {
      let total = 0;
      for (let i = 0; i < SMALL_COUNT; i++) total += await one(Readable.from([five]));
      return total;
    };
  }
  await run(); // warm up
  console.log(JSON.stringify(await timeIt(run)));
}

/**
 * Each configuration runs in a child of its own, so that neither side inherits the other's JIT
 * feedback and heap; the configurations alternate ROUNDS times and the best of each is kept.
 * Each round's pass-through and rewrite also run back to back, so their ratio is paired: on a
 * shared machine a slow spell hits both of a pair, and the median of the paired ratios is the
 * steadier figure.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 3);

function timed(what: string): Timing {
  const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename, `time:${what}`], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as Timing;
}

function best(what: string[]): { best: Map<string, Timing>; rounds: Map<string, Timing>[] } {
  const out = new Map<string, Timing>();
  const rounds: Map<string, Timing>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const now = new Map<string, Timing>();
    for (const w of what) {
      const t = timed(w);
      now.set(w, t);
      const b = out.get(w);
      out.set(w, b ? { ms: Math.min(b.ms, t.ms), cpuMs: Math.min(b.cpuMs, t.cpuMs), bytes: t.bytes } : t);
    }
    rounds.push(now);
  }
  return { best: out, rounds };
}

/** The median and range of the paired wall-clock ratios of `run` to `base` over the rounds. */
function paired(rounds: Map<string, Timing>[], base: string, run: string): string {
  const r = rounds.map((m) => m.get(base)!.ms / m.get(run)!.ms).sort((a, b) => a - b);
  const median = r.length % 2 ? r[(r.length - 1) / 2]! : (r[r.length / 2 - 1]! + r[r.length / 2]!) / 2;
  return `paired ratio median ${median.toFixed(2)} (${r[0]!.toFixed(2)}-${r[r.length - 1]!.toFixed(2)} over ${r.length} rounds)`;
}

function reportLarge(): void {
  const size = large().reduce((n, c) => n + c.length, 0);
  const mb = size / 1024 / 1024;
  const { best: t, rounds } = best(['large/pass', 'large/rewrite', 'large/none']);
  const base = t.get('large/pass')!;
  const rw = t.get('large/rewrite')!;
  const none = t.get('large/none')!;
  console.log(`20 MB message (${mb.toFixed(1)} MB):`);
  console.log(`  pass-through       ${(mb / (base.ms / 1000)).toFixed(0)} MB/s`);
  console.log(`  rewrite, no effect ${(mb / (none.ms / 1000)).toFixed(0)} MB/s  ${ratio(base, none)}  (${none.bytes} bytes out of ${size})`);
  console.log(`  rewrite, 5+2       ${(mb / (rw.ms / 1000)).toFixed(0)} MB/s  ${ratio(base, rw)}  (${rw.bytes} bytes out of ${size})`);
  console.log(`                     ${paired(rounds, 'large/pass', 'large/rewrite')}`);
}

function reportSmall(): void {
  const { best: t, rounds } = best(['small/pass', 'small/rewrite']);
  const base = t.get('small/pass')!;
  const rw = t.get('small/rewrite')!;
  console.log(`${SMALL_COUNT} messages x 3 runs (best) of ${(small().length / 1024).toFixed(1)} KB:`);
  console.log(`  pass-through ${(SMALL_COUNT / (base.ms / 1000)).toFixed(0)} msg/s`);
  console.log(`  rewrite 5+2  ${(SMALL_COUNT / (rw.ms / 1000)).toFixed(0)} msg/s  ${ratio(base, rw)}`);
  console.log(`               ${paired(rounds, 'small/pass', 'small/rewrite')}`);
}

/** In a child: stream a 100 MB message through one pass and print the peak RSS growth. */
async function rssChild(mode: string): Promise<void> {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const input = Readable.from(message(100 * 1024 * 1024));
  const bytes = mode === 'pass' ? await passThrough(input) : await rewritten(input, EFFECTS);
  clearInterval(timer);
  peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  console.log(JSON.stringify({ bytes, growthMB: (peak - before) / 1024 / 1024 }));
}

function rss(mode: string): { bytes: number; growthMB: number } {
  const child = spawnSync(process.execPath, ['--expose-gc', '-r', 'ts-node/register/transpile-only', __filename, `rss:${mode}`], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(child.stderr);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as { bytes: number; growthMB: number };
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg?.startsWith('rss:')) return rssChild(arg.slice(4));
  if (arg?.startsWith('time:')) return timeChild(arg.slice(5));
  reportLarge();
  reportSmall();
  const p = rss('pass');
  const r = rss('rewrite');
  console.log(`100 MB message, peak RSS growth: pass-through ${p.growthMB.toFixed(1)} MB, rewrite 5+2 ${r.growthMB.toFixed(1)} MB (${(r.bytes / 1024 / 1024).toFixed(0)} MB out)`);
}

void main();
