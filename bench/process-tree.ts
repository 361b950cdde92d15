/**
 * CPU time and peak RSS of a process and every descendant, from /proc: what a target costs when
 * it is several processes (Postfix's master and its daemons) as much as when it is one.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICK_MS = 10;

export interface TreeUsage {
  /** utime + stime of the live processes, plus the root's reaped children (cutime + cstime). */
  cpuMs: number;
  /** Sum of each live process's VmHWM (shared pages count once per process). */
  peakRssMb: number;
  processes: number;
}

interface Stat {
  pid: number;
  ppid: number;
  ticks: number;
  childTicks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17).
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined; // exited meanwhile
  }
}

function peakRssKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** The root and all its live descendants. */
function tree(root: number): Stat[] {
  const all = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is Stat => s !== undefined);
  const children = new Map<number, Stat[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const top = all.find((s) => s.pid === root);
  if (!top) return [];
  const out: Stat[] = [];
  const todo = [top];
  while (todo.length) {
    const s = todo.pop()!;
    out.push(s);
    todo.push(...(children.get(s.pid) ?? []));
  }
  return out;
}

/** What the process tree under `root` has used so far. */
export function treeUsage(root: number): TreeUsage {
  const procs = tree(root);
  const ticks = procs.reduce((sum, s) => sum + s.ticks, 0) + (procs[0]?.childTicks ?? 0);
  const rssKb = procs.reduce((sum, s) => sum + peakRssKb(s.pid), 0);
  return { cpuMs: ticks * TICK_MS, peakRssMb: rssKb / 1024, processes: procs.length };
}

function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * The tree's summed PSS (shared pages split between the processes sharing them), in MB. The
 * kernel keeps no peak of PSS, and reading smaps_rollup is slow (milliseconds per process
 * here), so callers sample it between timed batches, not during them.
 */
export function treePssMb(root: number): number {
  return tree(root).reduce((sum, s) => sum + pssKb(s.pid), 0) / 1024;
}
