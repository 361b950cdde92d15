import { passwordLine } from '@mailward/gateway';
import { processIo, type Io } from '../io';
import { UsageError } from '../usage-error';

/** `mailward passwd USER`: read a password on stdin, print the password-file line for it. */
export async function run(argv: string[], io: Io = processIo, stdin: AsyncIterable<Buffer> = process.stdin): Promise<number> {
  const [user] = argv;
  if (!user || argv.length !== 1 || user.includes(':')) throw new UsageError('mailward passwd USER   (the password is read from standard input)');
  const chunks: Buffer[] = [];
  for await (const c of stdin) chunks.push(c);
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (!password) throw new UsageError('no password on standard input');
  io.out(`${passwordLine(user, password)}\n`);
  return 0;
}
