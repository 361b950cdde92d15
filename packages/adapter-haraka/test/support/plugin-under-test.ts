import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HarakaConnection, Next } from '../../src/haraka-types';
import type { MailwardPlugin } from '../../src/plugin-state';
import * as pluginExports from '../../src/index';
import { readMessage } from '../../src/message-content';

// haraka-test-fixtures and haraka-config ship no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fixtures = require('haraka-test-fixtures') as {
  connection: { createConnection(client?: object, server?: object, cfg?: object): HarakaConnection & FixtureConnection };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const harakaConfig = require('haraka-config') as { module_config(dir: string): MailwardPlugin['config'] };

interface FixtureConnection {
  init_transaction(done?: () => void): void;
  set(section: string, key: string, value: unknown): void;
  transaction: (HarakaConnection['transaction'] & FixtureTransaction) | null;
}

interface FixtureTransaction {
  add_data(line: Buffer): void;
  end_data(cb: () => void): void;
}

/** What one hook call gave back, and how it was called. */
export interface HookCall {
  code: number | undefined;
  msg: unknown;
  /** How many times the hook called next (must be exactly one). */
  calls: number;
  /** What the hook function returned (Haraka ignores it: must not be a promise). */
  returned: unknown;
}

/** A plugin object as Haraka builds it: our exports copied onto an object with config and logs. */
export class PluginUnderTest {
  readonly logs: string[] = [];
  readonly plugin: MailwardPlugin;
  readonly dir: string;
  readonly registered: Array<{ hook: string; method: string; priority?: number }> = [];

  constructor(files: Record<string, string>) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mw-haraka-unit-'));
    fs.mkdirSync(path.join(this.dir, 'config'));
    for (const [name, text] of Object.entries(files)) this.write(name, text);
    const log = (level: string) => (...args: unknown[]) => {
      this.logs.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : '')).join(' ')}`);
    };
    const plugin = {
      name: 'mailward',
      config: harakaConfig.module_config(this.dir),
      register_hook: (hook: string, method: string, priority?: number) => {
        this.registered.push(priority === undefined ? { hook, method } : { hook, method, priority });
      },
      loginfo: log('info'),
      lognotice: log('notice'),
      logwarn: log('warn'),
      logerror: log('error'),
      logcrit: log('crit'),
      logdebug: log('debug'),
    };
    this.plugin = Object.assign(plugin, pluginExports) as unknown as MailwardPlugin;
  }

  /** Writes a file under config/. */
  write(name: string, text: string): void {
    fs.writeFileSync(path.join(this.dir, 'config', name), text);
  }

  /** Calls register() as Haraka does. */
  register(): void {
    (this.plugin as unknown as { register(): void }).register();
  }

  /** A fixture connection from `ip`, with EHLO done when `helo` is given. */
  connection(opts: { ip?: string; helo?: string } = {}): HarakaConnection & FixtureConnection {
    const conn = fixtures.connection.createConnection();
    conn.remote.ip = opts.ip ?? '192.0.2.10';
    if (opts.helo) {
      conn.hello.host = opts.helo;
      conn.hello.verb = 'EHLO';
    }
    const logTo = (level: string) => (...args: unknown[]) => {
      this.logs.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : '')).join(' ')}`);
    };
    Object.assign(conn, { loginfo: logTo('info'), lognotice: logTo('notice'), logwarn: logTo('warn'), logerror: logTo('error') });
    return conn;
  }

  /**
   * Calls a hook the way Haraka 3.3 does (plugins.js run_next_hook): synchronously, with a
   * callback, ignoring what it returns; resolves when the callback is called, then waits a
   * moment more to catch a second call.
   */
  async call(method: string, conn: HarakaConnection, params?: unknown): Promise<HookCall> {
    const fn = (this.plugin as unknown as Record<string, (next: Next, c: HarakaConnection, p?: unknown) => unknown>)[method];
    if (typeof fn !== 'function') throw new Error(`plugin has no method ${method}`);
    const result: HookCall = { code: undefined, msg: undefined, calls: 0, returned: undefined };
    await new Promise<void>((resolve) => {
      result.returned = fn.call(this.plugin, (code?: number, msg?: unknown) => {
        result.calls += 1;
        if (result.calls === 1) {
          result.code = code;
          result.msg = msg;
          resolve();
        }
      }, conn, params);
    });
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  }

  /** Removes the temporary config directory and stops watching it. */
  cleanup(): void {
    const config = this.plugin.config as unknown as { stop_watching?(name: string): void };
    for (const name of fs.readdirSync(path.join(this.dir, 'config'))) config.stop_watching?.(name);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Gives a fixture connection a transaction holding `message` (as Haraka receives DATA). */
export async function withMessage(
  conn: HarakaConnection & FixtureConnection,
  envelope: { from: string; to: string[] },
  message: string,
): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Address } = require('@haraka/email-address') as { Address: new (a: string) => never };
  conn.init_transaction();
  const txn = conn.transaction!;
  txn.mail_from = new Address(`<${envelope.from}>`);
  txn.rcpt_to = envelope.to.map((to) => new Address(`<${to}>`));
  const crlf = message.replace(/\r?\n/g, '\r\n');
  for (const line of crlf.split(/(?<=\r\n)/)) {
    txn.add_data(Buffer.from(line.startsWith('.') ? `.${line}` : line));
  }
  await new Promise<void>((resolve) => txn.end_data(resolve));
}

/** The message as a queue plugin would read it from the transaction. */
export async function deliveredMessage(conn: HarakaConnection): Promise<string> {
  return (await readMessage(conn.transaction!.message_stream)).toString('utf8');
}
