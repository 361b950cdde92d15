/** One user's scrypt parameters, as a password-file line gives them. */
export interface PasswordEntry {
  n: number;
  salt: Buffer;
  hash: Buffer;
}

/** A line of a password file that cannot be used: `file:line:col`, and what to change. */
export interface PasswordLineProblem {
  where: string;
  problem: string;
}

/** The bytes of the hash `mailward passwd` writes; a hash of another length fails every login. */
export const HASH_BYTES = 32;

/** The largest scrypt cost a line may have: 2^16 takes 64 MiB per login. */
const MAX_N = 65_536;
const SHAPE = 'expected user:scrypt:N:salt:hash';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// What other tools' hashes start with, to say what a pasted line is.
const SCHEMES: Readonly<Record<string, string>> = { $1$: 'MD5-crypt', $2a$: 'bcrypt', $2b$: 'bcrypt', $2y$: 'bcrypt', $5$: 'SHA-256-crypt', $6$: 'SHA-512-crypt', $y$: 'yescrypt', $argon2i$: 'Argon2', $argon2id$: 'Argon2' };

// The scheme a field names, as short as it can be told: `$2y$` of a bcrypt hash, not the hash.
function schemeOf(field: string): string {
  const prefix = /^\$[a-z0-9]+\$/i.exec(field)?.[0];
  if (prefix) return SCHEMES[prefix] ? `${prefix} (${SCHEMES[prefix]})` : prefix;
  return JSON.stringify(field.length > 20 ? `${field.slice(0, 20)}...` : field);
}

// What is wrong with the fields of one line, and the field it is in; undefined when it is usable.
function lineProblem(fields: string[]): { field: number; problem: string } | undefined {
  const [user, kind, n, salt, hash] = fields;
  const again = `make the line again with \`mailward passwd ${user || 'USER'}\``;
  if (!user) return { field: 0, problem: `no user name before the first ':' (${SHAPE}; ${again})` };
  if (kind === undefined) return { field: 0, problem: `${SHAPE}, not a user name alone (${again})` };
  if (kind !== 'scrypt') return { field: 1, problem: `unknown hash scheme ${schemeOf(kind)}: only scrypt lines are read (${SHAPE}); ${again}` };
  if (fields.length < 5) return { field: fields.length - 1, problem: `${SHAPE}: this line has ${fields.length} of the 5 fields (${again})` };
  if (fields.length > 5) return { field: 5, problem: `${SHAPE}: this line has ${fields.length - 5} field(s) more after the hash (a user name may not have ':' in it)` };
  // N must be a power of two for scrypt: anything else would fail every login of the line.
  const cost = Number(n);
  // Up to 2^16 (64 MiB a login): more, and (as with 2^32 and above, past 32-bit arithmetic) every login would fail.
  if (!/^\d+$/.test(n!) || cost < 2 || cost > MAX_N || (cost & (cost - 1)) !== 0) return { field: 2, problem: `N ${JSON.stringify(n)} is not a power of two from 2 to ${MAX_N} (scrypt's cost, 16384 from mailward passwd); ${again}` };
  if (!salt || !BASE64.test(salt)) return { field: 3, problem: `the salt is not base64; ${again}` };
  if (!hash || !BASE64.test(hash) || Buffer.from(hash, 'base64').length !== HASH_BYTES) return { field: 4, problem: `the hash is not ${HASH_BYTES} bytes of base64; ${again}` };
  return undefined;
}

/**
 * The users of a password file's text (`user:scrypt:N:salt:hash` lines; blank lines and `#`
 * comments skipped), and every line that cannot be used, each at `path:line:col` of the field
 * that is wrong, so one run tells them all.
 */
export function readPasswordLines(path: string, text: string): { users: Map<string, PasswordEntry>; problems: PasswordLineProblem[] } {
  const users = new Map<string, PasswordEntry>();
  const problems: PasswordLineProblem[] = [];
  // The line that gave each user first: with a second one, either password could be the meant one.
  const firstLine = new Map<string, number>();
  text.split('\n').forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const fields = t.split(':');
    const bad = lineProblem(fields);
    const first = firstLine.get(fields[0]!);
    if (!bad && first !== undefined) {
      problems.push({ where: `${path}:${i + 1}:${line.indexOf(t) + 1}`, problem: `user ${JSON.stringify(fields[0])} again (line ${first} has it too): keep one line per user, the one \`mailward passwd\` printed last` });
      return;
    }
    if (!bad) {
      firstLine.set(fields[0]!, i + 1);
      users.set(fields[0]!, { n: Number(fields[2]), salt: Buffer.from(fields[3]!, 'base64'), hash: Buffer.from(fields[4]!, 'base64') });
      return;
    }
    const col = line.indexOf(t) + fields.slice(0, bad.field).reduce((sum, f) => sum + f.length + 1, 0) + 1;
    problems.push({ where: `${path}:${i + 1}:${col}`, problem: bad.problem });
  });
  return { users, problems };
}
