/**
 * A child in its own process group, so that stopping it also stops anything it forked (a
 * target's workers), and a stop that escalates from SIGTERM to SIGKILL.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface GroupChild {
  child: ChildProcess;
  exited: Promise<void>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader has exited. */
  stop(graceMs?: number): Promise<void>;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch { /* the group is gone */ }
}

/** Spawns `command` as the leader of a new process group. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions): GroupChild {
  const child = spawn(command, args, { ...options, detached: true });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    exited,
    async stop(graceMs = 3000) {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup(child.pid!, 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      signalGroup(child.pid!, 'SIGKILL'); // stragglers of the group, if any
    },
  };
}
