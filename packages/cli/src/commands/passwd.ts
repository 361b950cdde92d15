import { passwordLine } from '@mailward/gateway';
import { processIo, type Io } from '../io';
import { UsageError } from '../usage-error';

/** `mailward passwd USER`: read a password on stdin, print the password-file line for it. */
export async function run(argv: string[], io: Io = processIo, stdin: AsyncIterable<Buffer> = process.stdin): Promise<number> {
  const usage = 'mailward passwd USER   (the password is read from standard input)';
  const [user] = argv; // (--help is main's: see command-help.ts)
  // An option is never a user name: `mailward passwd --frob` must not print a line for "--frob".
  if (!user || argv.length !== 1 || user.startsWith('-')) throw new UsageError(usage);
  // The file is `user:hash` lines: a colon would end the name early, white space is a typing slip.
  if (/[:\s]/.test(user)) throw new UsageError(`the user name "${user}" has ${user.includes(':') ? 'a colon, which separates the name from the hash in the file' : 'white space in it'}; give the name as the client logs in with\n${usage}`);
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(c);
  // The first line is the password (`echo pw |`, a file with a blank line after it): more lines is a mistake.
  const [password = '', ...rest] = Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  if (!password) throw new UsageError('no password on standard input');
  if (rest.some((line) => line !== '')) throw new UsageError('standard input has more than one line: give the password alone, on one line');
  io.out(`${passwordLine(user, password)}\n`);
  return 0;
}
