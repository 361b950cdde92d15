/**
 * Postfix's load tools, smtp-source (a client that sends many messages over many sessions) and
 * smtp-sink (a server that swallows them), for tests and benchmarks. They need no Postfix daemon:
 * when the `postfix` package is not installed, its .deb is fetched with `apt-get download` and
 * unpacked with `dpkg -x` into a cache folder, and the tools run with LD_LIBRARY_PATH set to
 * its private libraries.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostfixTools {
  smtpSource: string;
  smtpSink: string;
  /** Environment the tools need (LD_LIBRARY_PATH for an unpacked .deb). */
  env: NodeJS.ProcessEnv;
}

/** Thrown when neither an installed Postfix nor apt can provide the tools. */
export class PostfixToolsMissing extends Error {
  readonly code = 'MW_POSTFIX_TOOLS_MISSING';
}

let found: PostfixTools | undefined;

/** Finds smtp-source and smtp-sink: installed, already unpacked, or unpacked now from the .deb. */
export function postfixTools(): PostfixTools {
  if (found) return found;
  const installed = ['/usr/sbin/smtp-source', '/usr/sbin/smtp-sink'];
  if (installed.every((p) => existsSync(p))) {
    found = { smtpSource: installed[0]!, smtpSink: installed[1]!, env: { ...process.env } };
    return found;
  }
  const cache = process.env.MAILWARD_POSTFIX_DIR ?? join(tmpdir(), 'mailward-postfix-tools');
  const root = join(cache, 'root');
  const source = join(root, 'usr/sbin/smtp-source');
  if (!existsSync(source)) unpackPostfix(cache, root);
  const libs = join(root, 'usr/lib/postfix');
  found = {
    smtpSource: source,
    smtpSink: join(root, 'usr/sbin/smtp-sink'),
    env: { ...process.env, LD_LIBRARY_PATH: [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') },
  };
  return found;
}

function unpackPostfix(cache: string, root: string): void {
  mkdirSync(cache, { recursive: true });
  try {
    let deb = readdirSync(cache).find((f) => /^postfix_.*\.deb$/.test(f));
    if (!deb) {
      execFileSync('apt-get', ['download', 'postfix'], { cwd: cache, stdio: 'pipe' });
      deb = readdirSync(cache).find((f) => /^postfix_.*\.deb$/.test(f));
    }
    if (!deb) throw new Error('apt-get download postfix left no .deb');
    execFileSync('dpkg', ['-x', join(cache, deb), root], { stdio: 'pipe' });
  } catch (err) {
    throw new PostfixToolsMissing(
      `smtp-source/smtp-sink not found and the postfix .deb could not be unpacked (${(err as Error).message}); ` +
        'install the Debian package `postfix` or set MAILWARD_POSTFIX_DIR to a folder holding postfix_*.deb',
    );
  }
}

/** A free TCP port on 127.0.0.1 (for tools that cannot listen on port 0 themselves). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (a child that is still starting). */
export async function waitForPort(port: number, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

/** A running smtp-sink; `stop()` ends it. */
export interface SmtpSink {
  port: number;
  process: ChildProcess;
  /** Messages received so far (from its `-c` counter). */
  messages(): number;
  stop(): Promise<void>;
}

/** Starts smtp-sink on a free loopback port; `-c` prints its session and message counters. */
export async function startSmtpSink(extraArgs: string[] = []): Promise<SmtpSink> {
  const tools = postfixTools();
  const port = await freePort();
  // smtp-sink refuses to run as root unless told which user to become.
  const user = process.getuid?.() === 0 ? ['-u', 'nobody'] : [];
  const child = spawn(tools.smtpSink, [...user, '-c', ...extraArgs, `127.0.0.1:${port}`, '256'], { env: tools.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port);
  return {
    port,
    process: child,
    messages() {
      const counts = [...output.matchAll(/mesg=(\d+)/g)];
      return counts.length ? Number(counts[counts.length - 1]![1]) : 0;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface SourceResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs smtp-source to the end with these options (e.g. `-s 10 -m 100 -l 5000 -t rcpt`). */
export function runSmtpSource(args: string[], port: number, host = '127.0.0.1'): Promise<SourceResult> {
  const tools = postfixTools();
  return new Promise((resolve, reject) => {
    const child = spawn(tools.smtpSource, [...args, `${host}:${port}`], { env: tools.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
