import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const REPO = path.resolve(__dirname, '../../../..');
const PACKAGE_DIR = path.resolve(__dirname, '../..');
const HARAKA_BIN = require.resolve('Haraka/bin/haraka', { paths: [PACKAGE_DIR] });

/** What a test Haraka runs with. */
export interface HarakaSetup {
  /** config/plugins, in order. */
  plugins: string[];
  /** config/mailward.yaml (policy: policy.yaml points at `policy`). */
  mailwardYaml?: string;
  /** config/policy.yaml. */
  policy?: string;
  /** Port of the smtp-server sink queue/smtp_forward delivers to. */
  sinkPort?: number;
  /** More files under config/. */
  files?: Record<string, string>;
  /** Edits to the connection.ini `haraka -i` wrote. */
  connectionIni?: (text: string) => string;
}

/**
 * Builds haraka-plugin-mailward (and the packages it uses) with tsc -b, once per test file: the
 * Haraka process loads the package the way an installed one is loaded, from dist/.
 */
export async function buildPlugin(): Promise<void> {
  // Test files run in parallel workers: one tsc -b at a time (the next finds it up to date).
  const lock = path.join(os.tmpdir(), `mw-haraka-build-${Buffer.from(REPO).toString('hex').slice(-24)}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 300_000) fs.rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await promisify(execFile)(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-b', path.join(PACKAGE_DIR, 'tsconfig.build.json')],
      { cwd: REPO },
    );
  } catch (err) {
    throw new Error(`tsc -b for haraka-plugin-mailward failed:\n${(err as { stdout?: string }).stdout ?? String(err)}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * A real Haraka 3.3 (`haraka -c DIR`, nodes=0) in a temporary directory, listening on a free
 * port of 127.0.0.1. The plugin is installed as Haraka finds npm plugins:
 * DIR/node_modules/haraka-plugin-mailward (a symlink to this package) and `mailward` in
 * config/plugins.
 */
export class HarakaProcess {
  logs = '';
  private constructor(
    readonly dir: string,
    private readonly child: ChildProcess,
    public port = 0,
  ) {}

  /** Writes the config directory and starts Haraka; resolves once it listens. */
  static async start(setup: HarakaSetup): Promise<HarakaProcess> {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mw-haraka-')), 'haraka');
    // `haraka -i` writes the base config (connection.ini, log.ini...) Haraka needs to answer.
    await promisify(execFile)(process.execPath, [HARAKA_BIN, '-i', dir]);
    const config = path.join(dir, 'config');
    fs.mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    fs.symlinkSync(PACKAGE_DIR, path.join(dir, 'node_modules', 'haraka-plugin-mailward'));
    const files: Record<string, string> = {
      'smtp.ini': '[main]\nlisten=127.0.0.1:0\nnodes=0\n',
      me: 'mx.haraka.test\n',
      loglevel: 'info\n',
      plugins: `${setup.plugins.join('\n')}\n`,
      'quarantine.ini': `quarantine_path=${path.join(dir, 'quarantine')}\n`,
      ...(setup.sinkPort ? { 'smtp_forward.ini': `host=127.0.0.1\nport=${setup.sinkPort}\nenable_tls=false\n` } : {}),
      ...(setup.policy ? { 'policy.yaml': setup.policy } : {}),
      ...(setup.mailwardYaml ? { 'mailward.yaml': setup.mailwardYaml } : {}),
      ...setup.files,
    };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(config, name), text);
    if (setup.connectionIni) {
      const ini = path.join(config, 'connection.ini');
      fs.writeFileSync(ini, setup.connectionIni(fs.readFileSync(ini, 'utf8')));
    }

    const child = spawn(process.execPath, [HARAKA_BIN, '-c', dir], {
      cwd: dir,
      env: { ...process.env, HARAKA: dir, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const haraka = new HarakaProcess(dir, child);
    await new Promise<void>((resolve, reject) => {
      const onOutput = (chunk: Buffer): void => {
        haraka.logs += chunk.toString();
        const m = /Listening on [^\s]*:(\d+)/.exec(haraka.logs);
        if (m && haraka.port === 0) {
          haraka.port = Number(m[1]);
          resolve();
        }
      };
      child.stdout?.on('data', onOutput);
      child.stderr?.on('data', onOutput);
      child.once('exit', (code) => reject(new Error(`Haraka exited (${code}) before listening:\n${haraka.logs}`)));
    });
    return haraka;
  }

  /** Stops Haraka and removes its directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(path.dirname(this.dir), { recursive: true, force: true });
  }
}
