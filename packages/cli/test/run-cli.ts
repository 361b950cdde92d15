import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** What one CLI run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const root = join(__dirname, '..', '..', '..');

/**
 * Runs the real `mailward` command in a child process, from the TypeScript sources (ts-node,
 * transpile only), with `cwd` as its working folder. With `stopWhen`, a run whose standard
 * output comes to match it (a gateway that started) is sent SIGTERM, so a test that expected a
 * refusal fails instead of waiting for ever. With `before`, that signal goes first and the
 * SIGTERM a second later (to see what a running gateway does with it).
 */
export function runCli(args: string[], cwd: string = root, stopWhen?: RegExp, before?: NodeJS.Signals): Promise<CliRun> {
  const node = [
    '-r', require.resolve('ts-node/register/transpile-only'),
    '-r', join(__dirname, 'source-paths.js'),
    join(root, 'packages/cli/src/main.ts'),
    ...args,
  ];
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, node, {
      cwd,
      env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json'), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!stopWhen?.test(stdout) || child.signalCode !== null) return;
      if (!before) return void child.kill('SIGTERM');
      if (signalled) return;
      signalled = true;
      child.kill(before);
      setTimeout(() => child.kill('SIGTERM'), 1000);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
  });
}
