import { asksForHelp, commandHelp, HELP } from './command-help';
import { closestWord, unknownOptionHint } from './did-you-mean';
import type { Io } from './io';
import { processIo } from './io';
import { InputError, UsageError } from './usage-error';

/** A command: its arguments (after the command name) in, an exit code out. */
type Command = (argv: string[], io: Io) => Promise<number>;

// Commands load lazily so `mailward check` does not pay for the gateway's start-up. `require`,
// not `import()`: under module node16 TypeScript keeps import() as an ES import in CommonJS output,
// which needs file extensions and bypasses ts-node.
/* eslint-disable @typescript-eslint/no-require-imports */
const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  check: { summary: 'validate a policy file', load: () => (require('./commands/check') as typeof import('./commands/check')).run },
  eval: { summary: 'run a message through a policy and show the verdict', load: () => (require('./commands/eval') as typeof import('./commands/eval')).run },
  test: { summary: 'run the YAML test cases of a policy or folder', load: () => (require('./commands/test') as typeof import('./commands/test')).run },
  serve: { summary: 'run the SMTP gateway', load: () => optionalCommand('serve') },
  // Commands other parts of the project add as commands/<name>.ts; listed once they exist.
  spool: { summary: "list and manage the gateway's spool", load: () => optionalCommand('spool') },
  quarantine: { summary: 'list, release or delete quarantined messages', load: () => optionalCommand('quarantine') },
  passwd: { summary: 'make a password-file line for a submission user', load: () => optionalCommand('passwd') },
  replay: { summary: 'run a policy over stored mail and show its impact per rule', load: () => optionalCommand('replay') },
};
/* eslint-enable @typescript-eslint/no-require-imports */

const USAGE = `Usage: mailward <command> [options]

Commands:
${Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}${built(name) ? '' : ' (not in this build)'}`).join('\n')}

${Object.values(HELP).map((h) => `  ${h.usage}`).join('\n')}

Run \`mailward <command> --help\` for a command's options.
Exit codes: 0 done, 1 bad policy/input or failed tests, 2 bad usage.
`;

/** Runs the CLI with these arguments (without node and the script); resolves to the exit code. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.out(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    const meant = closestWord(name, Object.keys(COMMANDS));
    io.err(`mailward: unknown command "${name}"${meant ? `; did you mean \`mailward ${meant}\`?` : ''}\n\n${USAGE}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    io.out(commandHelp(name, command.summary));
    return 0;
  }
  try {
    return await command.load()(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      const help = HELP[name];
      const message = help ? unknownOptionHint(err.message, `${help.usage}\n${help.options ?? ''}`) : err.message;
      io.err(`mailward ${name}: ${message}\nRun \`mailward ${name} --help\` for its options.\n`);
      return 2;
    }
    if (err instanceof InputError) {
      io.err(`mailward ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

/** Entry point of bin/mailward.js: runs main on process.argv and sets the exit code. */
export function runCli(): void {
  // A reader that stopped reading (`mailward eval ... | head`) is not a failure: the rest of
  // the output is dropped (see processIo) and the command finishes, --out files included.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`mailward: internal error: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 70;
    },
  );
}

function built(name: string): boolean {
  try {
    require.resolve(`./commands/${name}`);
    return true;
  } catch {
    return false;
  }
}

// serve, spool, quarantine and replay live in files other parts of the project own
// (commands/<name>.ts exporting run(argv)); a build without one says so instead of crashing.
function optionalCommand(name: string): Command {
  const path = `./commands/${name}`;
  let mod: { run(argv: string[], io?: Io): Promise<number> };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path) as typeof mod;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(`commands/${name}`)) {
      throw new InputError(`\`${name}\` is not available in this build`, 'MW_NO_COMMAND');
    }
    throw err;
  }
  return (argv) => mod.run(argv);
}

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../package.json') as { version: string }).version;
}

if (require.main === module) runCli();
