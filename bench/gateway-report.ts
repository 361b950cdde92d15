/**
 * The gateway benchmark's report: the cells, mailward's ratio to every peer, the goals of
 * issue #4 with met / not met, and the 50 MB peak-RSS run.
 */
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';

export interface Cell {
  target: string;
  size: string;
  mode: 'persistent' | 'per-message';
  sessions: number;
  /** Measured batches; rate and mbps are the median batch's. */
  batches: number;
  messages: number;
  seconds: number;
  rate: number;
  mbps: number;
  /** Peak RSS once started, before any mail: what loading the program costs. */
  startRssMb: number;
  peakRssMb: number;
  peakPssMb: number;
  cpuMsPerMessage: number;
  processes: number;
  error?: string;
}

interface Goal {
  text: string;
  peer: string;
  sizes: string[];
  atLeast: number;
}

const GOALS: Goal[] = [
  { text: 'mailward >= 1.5x Postfix at 5 KB and 100 KB', peer: 'postfix', sizes: ['5KB', '100KB'], atLeast: 1.5 },
  { text: 'mailward >= 3x Haraka at 5 KB and 100 KB', peer: 'haraka', sizes: ['5KB', '100KB'], atLeast: 3 },
  { text: 'mailward >= 1.0x Postfix at 5 MB', peer: 'postfix', sizes: ['5MB'], atLeast: 1 },
  { text: 'mailward >= 0.6x the bare relay', peer: 'bare-relay', sizes: ['5KB', '100KB', '5MB'], atLeast: 0.6 },
];

const same = (a: Cell, b: Cell): boolean => a.size === b.size && a.mode === b.mode && a.sessions === b.sessions;
const ok = (c: Cell | undefined): c is Cell => c !== undefined && !c.error && c.rate > 0;

function ratios(cells: Cell[], peer: string, sizes: string[]): { cell: Cell; ratio: number }[] {
  return cells.filter((m) => m.target === 'mailward' && sizes.includes(m.size) && ok(m)).flatMap((m) => {
    const p = cells.find((c) => c.target === peer && same(c, m));
    return ok(p) ? [{ cell: m, ratio: m.rate / p.rate }] : [];
  });
}

function goalLine(cells: Cell[], g: Goal): string {
  const rs = ratios(cells, g.peer, g.sizes);
  if (!rs.length) return `- ${g.text}: not measured`;
  const worst = rs.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const meeting = rs.filter((r) => r.ratio >= g.atLeast).length;
  const verdict = meeting === rs.length ? 'met' : 'not met';
  return `- ${g.text}: **${verdict}** (${meeting} of ${rs.length} cells; worst ${worst.ratio.toFixed(2)}x at ${worst.cell.size} ${worst.cell.mode} s=${worst.cell.sessions})`;
}

function row(c: Cell): string {
  const head = `| ${c.target} | ${c.size} | ${c.mode} | ${c.sessions} | ${c.batches} | ${c.messages} |`;
  if (c.error) return `${head} failed: ${c.error.replace(/\|/g, '/').replace(/\n/g, ' ')} | | | | | |`;
  return `${head} ${c.seconds.toFixed(2)} | ${c.rate.toFixed(1)} | ${c.mbps.toFixed(1)} | ${c.peakRssMb.toFixed(0)}${c.processes > 1 ? ` (${c.processes} procs)` : ''} | ${c.peakPssMb.toFixed(0)} | ${c.cpuMsPerMessage.toFixed(2)} |`;
}

/** The Markdown report. */
export function report(cells: Cell[], big: Cell[], versions: Record<string, string>, notes: string[]): string {
  const cpu = cpus();
  const peers = [...new Set(cells.map((c) => c.target))].filter((t) => t !== 'mailward');
  const lines = [
    `# Gateway benchmark, ${new Date().toISOString()}`, '',
    `Machine: ${cpu.length} x ${cpu[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()} ${release()}; load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    `Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}`, '',
    ...notes.map((n) => `- ${n}`), '',
    '## Goals (issue #4)', '', ...GOALS.map((g) => goalLine(cells, g)),
  ];
  const bare = big.find((b) => b.target === 'bare-relay' && ok(b));
  const mw = big.find((b) => b.target === 'mailward' && ok(b));
  lines.push(bare && mw
    ? `- a 50 MB message within 1.2x the bare relay's peak RSS: **${mw.peakRssMb <= 1.2 * bare.peakRssMb ? 'met' : 'not met'}** (${(mw.peakRssMb / bare.peakRssMb).toFixed(2)}x: ${mw.peakRssMb.toFixed(0)} MB vs ${bare.peakRssMb.toFixed(0)} MB)`
    : '- a 50 MB message within 1.2x the bare relay\'s peak RSS: not measured');
  if (bare && mw) lines.push(`  (growth over the RSS once started: mailward ${(mw.peakRssMb - mw.startRssMb).toFixed(0)} MB, bare relay ${(bare.peakRssMb - bare.startRssMb).toFixed(0)} MB)`);
  lines.push('', '## Ratios: mailward msgs/s divided by each peer\'s (same size, mode, sessions)', '',
    `| size | mode | sessions | ${peers.map((p) => `vs ${p}`).join(' | ')} |`, `|---|---|--:|${peers.map(() => '--:').join('|')}|`);
  for (const m of cells.filter((c) => c.target === 'mailward')) {
    const ratio = (peer: string): string => {
      const p = cells.find((c) => c.target === peer && same(c, m));
      return ok(p) && ok(m) ? `${(m.rate / p.rate).toFixed(2)}x` : '-';
    };
    lines.push(`| ${m.size} | ${m.mode} | ${m.sessions} | ${peers.map(ratio).join(' | ')} |`);
  }
  lines.push('', '## Cells', '', '| target | size | mode | sessions | batches | msgs | s | msgs/s | MB/s | peak RSS MB | peak PSS MB | CPU ms/msg |', '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|', ...cells.map(row));
  if (big.length) {
    lines.push('', '## One 50 MB message, one session: peak RSS', '', '| target | s | RSS MB once started | peak RSS MB | growth MB | peak PSS MB | CPU ms |', '|---|--:|--:|--:|--:|--:|--:|');
    for (const b of big) {
      lines.push(b.error ? `| ${b.target} | failed: ${b.error} | | | | | |`
        : `| ${b.target} | ${b.seconds.toFixed(2)} | ${b.startRssMb.toFixed(0)} | ${b.peakRssMb.toFixed(0)} | ${(b.peakRssMb - b.startRssMb).toFixed(0)} | ${b.peakPssMb.toFixed(0)} | ${b.cpuMsPerMessage.toFixed(0)} |`);
    }
  }
  return lines.join('\n') + '\n';
}
