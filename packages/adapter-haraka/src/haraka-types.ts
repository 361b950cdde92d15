/**
 * The part of Haraka 3.3's plugin API this plugin uses, declared by hand (no typings exist).
 * Checked against node_modules/Haraka 3.3.4: plugins.js (Plugin, run_next_hook), connection.js,
 * transaction.js, haraka-email-message (Header), haraka-message-stream, haraka-results,
 * haraka-notes, haraka-config and @haraka/email-address.
 */
import type { Readable, Writable } from 'node:stream';

/** Hook return codes from haraka-constants (CONT 900 ... DENYSOFTDISCONNECT 909). */
export interface HarakaCodes {
  readonly cont: number;
  readonly stop: number;
  readonly deny: number;
  readonly denysoft: number;
  readonly denydisconnect: number;
  readonly disconnect: number;
  readonly ok: number;
  readonly denysoftdisconnect: number;
  translate(code: number): string;
}

/**
 * What a hook may pass as the reply text: a string, lines, or an object whose constructor is
 * named `DSN` carrying its own SMTP code (connection.respond() honours `code` and `reply`).
 */
export type HarakaReplyText = string | string[] | { readonly code: number; readonly reply: string };

/** The callback every hook gets first; it must be called exactly once. */
export type Next = (code?: number, msg?: HarakaReplyText) => void;

/** @haraka/email-address Address (envelope form). */
export interface HarakaAddress {
  user: string;
  host: string;
  original: string;
  /** `user@host`, or '' for the null sender. */
  readonly address: string;
  isNull(): boolean;
  format(): string;
}

/** The Address class, reached through an existing instance so we use Haraka's own copy. */
export type HarakaAddressClass = new (email: string) => HarakaAddress;

/** haraka-results: per-plugin result store on connections and transactions. */
export interface HarakaResults {
  add(plugin: { name: string } | string, obj: Record<string, unknown>): void;
  push(plugin: { name: string } | string, obj: Record<string, unknown>): void;
  get(name: string): HarakaResultEntry | undefined;
}

/** One plugin's collected results: pass/fail/skip/err/msg arrays plus free keys. */
export interface HarakaResultEntry {
  pass?: string[];
  fail?: string[];
  skip?: string[];
  err?: string[];
  msg?: string[];
  [key: string]: unknown;
}

/** haraka-notes: a plain object with get/set by dotted path. */
export interface HarakaNotes {
  [key: string]: unknown;
  get(path: string): unknown;
  set(path: string, value: unknown): void;
  skip_plugins?: string[];
}

/** haraka-email-message Header. `header_list` holds raw lines ("Name: value\n", folds kept). */
export interface HarakaHeader {
  header_list: string[];
  headers: Record<string, string[]>;
  headers_decoded: Record<string, string[]>;
  parse(lines: string[]): void;
  get(name: string): string;
  get_all(name: string): readonly string[];
  get_decoded(name: string): string;
  lines(): readonly string[];
}

/** haraka-message-stream: the stored message, dot-stuffed on disk/in memory. */
export interface HarakaMessageStream {
  readonly bytes_read: number;
  pipe<T extends Writable>(dest: T, options?: { line_endings?: string; dot_stuffed?: boolean }): T;
  add_line(line: Buffer | string): void;
  add_line_end(cb?: () => void): void;
  destroy(): void;
  on(event: 'error', listener: (err: Error) => void): this;
  listeners(event: 'error'): ((...args: unknown[]) => void)[];
}

/** haraka-message-stream's class, reached through the transaction's own instance. */
export type HarakaMessageStreamClass = new (
  cfg: unknown,
  id: string,
  headers: string[],
) => HarakaMessageStream;

export interface HarakaTransaction {
  uuid: string;
  cfg: unknown;
  mail_from: HarakaAddress;
  rcpt_to: HarakaAddress[];
  header: HarakaHeader;
  message_stream: HarakaMessageStream;
  data_bytes: number;
  notes: HarakaNotes;
  results: HarakaResults;
  add_header(name: string, value: string): void;
  add_leading_header(name: string, value: string): void;
  remove_header(name: string): void;
  reset_headers(): void;
}

export interface HarakaConnection {
  uuid: string;
  remote: { ip: string; host?: string | null; is_private?: boolean; closed?: boolean };
  local: { ip?: string; port?: number; host?: string };
  hello: { verb?: string | null; host?: string | null };
  tls: { enabled: boolean };
  relaying: boolean;
  notes: HarakaNotes;
  results: HarakaResults;
  transaction: HarakaTransaction | null;
  /** The EHLO keyword lines, set before the capabilities hook runs. */
  capabilities: string[] | null;
  loginfo(...args: unknown[]): void;
  lognotice(...args: unknown[]): void;
  logwarn(...args: unknown[]): void;
  logerror(...args: unknown[]): void;
}

/** haraka-config as `this.config` inside a plugin. */
export interface HarakaConfig {
  get(name: string, type: 'yaml' | 'json' | 'value' | 'list' | 'ini' | 'data', cb?: () => void): unknown;
  get(name: string, type: 'binary', cb?: () => void): Buffer | null;
}

/**
 * `this` inside a plugin's exported functions: Haraka copies the module's exports onto a Plugin
 * instance, so state lives on `this` (one instance per plugin, shared by all connections).
 */
export interface HarakaPlugin {
  name: string;
  config: HarakaConfig;
  register_hook(hook: string, method: string, priority?: number): void;
  loginfo(...args: unknown[]): void;
  lognotice(...args: unknown[]): void;
  logwarn(...args: unknown[]): void;
  logerror(...args: unknown[]): void;
  logcrit(...args: unknown[]): void;
  logdebug(...args: unknown[]): void;
  /** Haraka's own modules (`outbound`...), as plugins.js resolves them; absent outside Haraka. */
  haraka_require?(name: string): unknown;
}

/**
 * Haraka's outbound (outbound/index.js): queues a message of our own for delivery the way Haraka
 * delivers relayed mail (get_mx hooks such as smtp_forward's routes, else DNS MX), with retries
 * and bounces. `next` gets OK once it is on disk in Haraka's queue, DENY or DENYSOFT if not.
 */
export interface HarakaOutbound {
  send_email(
    from: string,
    to: string[],
    contents: string,
    next: (code: number, msg?: unknown) => void,
    options?: { dot_stuffed?: boolean; notes?: unknown; origin?: unknown },
  ): void;
  /** Queues a received transaction as it stands (its notes go with it, for get_mx). */
  send_trans_email?(transaction: HarakaTransaction, next: (code: number, msg?: unknown) => void): void;
}

/** Readable view of the message, as our own code needs it. */
export type MessageReader = () => Readable;
