import { passwordLine } from '@mailward/gateway';
import { processIo, type Io } from '../io';
import { UsageError } from '../usage-error';

/** `mailward passwd USER`: read a password on stdin, print the password-file line for it. */
export async function run(argv: string[], io: Io = processIo, stdin: AsyncIterable<Buffer> = process.stdin): Promise<number> {
  const usage = 'mailward passwd USER   (the password is read from standard input)';
  const [user] = argv; // (--help is main's: see command-help.ts)
  // An option is never a user name: `mailward passwd --frob` must not print a line for "--frob".
  if (!user || argv.length !== 1 || user.includes(':') || user.startsWith('-')) throw new UsageError(usage);
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(c);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new UsageError('no password on standard input');
  io.out(`${passwordLine(user, password)}\n`);
  return 0;
}
