import { randomBytes, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { HASH_BYTES, readPasswordLines, type PasswordEntry, type PasswordLineProblem } from './password-lines';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; maxmem: number }) => Promise<Buffer>;

const N = 16384;

/** A password-file line for `user`: `user:scrypt:N:salt:hash` (base64), as `mailward passwd` prints it. */
export function passwordLine(user: string, password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, HASH_BYTES, { N });
  return `${user}:scrypt:${N}:${salt.toString('base64')}:${hash.toString('base64')}`;
}

type Users = Map<string, PasswordEntry>;

/** A password file that cannot be used: every bad line (`file:line:col`), or why it cannot be read. */
export class PasswordFileError extends Error {
  /** The first of them, as the warning of a bad edit names it. */
  readonly where: string;
  readonly problem: string;
  constructor(readonly problems: PasswordLineProblem[]) {
    super(problems.map((p) => `${p.where}: ${p.problem}`).join('\n'));
    this.where = problems[0]!.where;
    this.problem = problems[0]!.problem;
  }
}

function parse(path: string, text: string): Users {
  const { users, problems } = readPasswordLines(path, text);
  if (problems.length) throw new PasswordFileError(problems);
  return users;
}

/**
 * Checks submission logins against a file of scrypt hashes, one `user:scrypt:N:salt:hash` line
 * per user. The file is read again when it changes, so users can be added without a restart. At
 * start a bad file stops the gateway; a bad edit while it runs keeps the last good file (every
 * login would otherwise get 454) and is told once to `onProblem`, with each bad line's file:line:col.
 */
export class PasswordFile {
  private users: Users = new Map();
  private loadedText = '';
  /** The text or read error last reported, so a bad file is logged once, not at every AUTH. */
  private reported: string | undefined;

  constructor(private readonly path: string, private readonly onProblem?: (err: PasswordFileError) => void) {
    const text = readFileSync(path, 'utf8');
    this.users = parse(path, text);
    this.loadedText = text;
  }

  private reload(): void {
    let text: string | undefined;
    try {
      text = readFileSync(this.path, 'utf8');
      if (text !== this.loadedText) {
        this.users = parse(this.path, text);
        this.loadedText = text;
      }
      this.reported = undefined;
    } catch (err) {
      const problem = err instanceof PasswordFileError ? err : new PasswordFileError([{ where: this.path, problem: `cannot be read (${(err as Error).message})` }]);
      const key = `${problem.message}\0${text ?? ''}`;
      if (key === this.reported) return;
      this.reported = key;
      this.onProblem?.(problem);
    }
  }

  /**
   * Whether the user and password match a line of the file. The hash runs in the thread pool:
   * scrypt costs tens of milliseconds by design, and on the event loop every AUTH (a password
   * guesser's above all) would stall every session of the gateway that long.
   */
  async check(user: string, password: string): Promise<boolean> {
    this.reload();
    const entry = this.users.get(user);
    // Hash anyway for an unknown user, so timing does not tell which users exist.
    const n = entry?.n ?? N;
    // scrypt takes 128 * N * r octets (r = 8); node's default maxmem (32 MiB) refused N >= 32768.
    const candidate = await scryptAsync(password, entry?.salt ?? Buffer.alloc(16), HASH_BYTES, { N: n, maxmem: 256 * 8 * n });
    return entry !== undefined && timingSafeEqual(candidate, entry.hash);
  }
}

