import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GatewayConfigError, createLog, defaultConfig, domainProblem, inheritedFormProblem, isHostPort, isInheritedListen, loadGatewayConfig, startGateway, type GatewayConfig, type LogLevel } from '@mailward/gateway';
import { PolicyError, formatProblem } from '@mailward/core';
import { InputError, UsageError } from '../usage-error';

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const FORMATS = ['json', 'pretty'] as const;

/** `mailward serve`: the gateway, from gateway.yaml or the embedded default. */
export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        domain: { type: 'string' },
        listen: { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
      },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const level = (values['log-level'] ?? undefined) as LogLevel | undefined;
  if (level && !LEVELS.includes(level)) throw new UsageError(`--log-level must be one of ${LEVELS.join(', ')}`);
  const chosenFormat = values['log-format'];
  if (chosenFormat !== undefined && !(FORMATS as readonly string[]).includes(chosenFormat)) throw new UsageError(`--log-format must be one of ${FORMATS.join(', ')} (not "${chosenFormat}")`);
  if (values.listen !== undefined && isInheritedListen(values.listen)) {
    const bad = inheritedFormProblem(values.listen);
    if (bad) throw new UsageError(`--listen ${bad}`);
  } else if (values.listen !== undefined && !isHostPort(values.listen, { minPort: 0 })) {
    throw new UsageError(`--listen ${values.listen} is not HOST:PORT with a port from 0 to 65535, e.g. 127.0.0.1:2525, nor systemd:NAME or fd:N (a socket passed by systemd)`);
  }
  let config: GatewayConfig;
  if (values.config) {
    if (!existsSync(values.config)) throw new InputError(`${values.config}: no such configuration file`, 'MW_NO_CONFIG');
    try {
      config = loadGatewayConfig(values.config, process.cwd(), { checkFiles: true });
    } catch (err) {
      // A mistake in the file is the user's to fix: its problems, not a stack trace.
      if (err instanceof GatewayConfigError) throw new InputError(err.message, err.code);
      throw err;
    }
  } else {
    config = defaultConfig(process.cwd());
    config.domain = 'acme.example';
  }
  if (values.domain !== undefined) {
    const bad = domainProblem(values.domain);
    if (bad) throw new UsageError(`--domain ${bad}`);
    config.domain = values.domain;
    config.domainFrom = '--domain';
  }
  if (values.listen) {
    // Which listener would move is a guess the admin should not have to make: say so instead.
    if (config.listeners.length > 1) {
      throw new UsageError(`--listen ${values.listen} cannot replace the address of ${values.config} (it has ${config.listeners.length} listeners: ${config.listeners.map((l) => l.listen).join(', ')}); change listen: in the file, or leave out --listen`);
    }
    config.listeners = [{ ...config.listeners[0], listen: values.listen }];
  }
  if (level) config.log.level = level;
  // The flag, then gateway.yaml's log.format, and only then a guess from the terminal.
  const format = chosenFormat ?? config.log.format ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const log = createLog(config.log.level, (line) => process.stderr.write(line), format === 'pretty');

  let gateway;
  try {
    gateway = await startGateway(config, log);
  } catch (err) {
    if (err instanceof PolicyError) throw new InputError(err.problems.map(formatProblem).join('\n'), err.code);
    throw new InputError(`cannot start: ${(err as Error).message}`, 'MW_START');
  }
  return new Promise<number>((resolve) => {
    const shutdown = (signal: string): void => {
      log.event('info', { event: 'signal', signal });
      void gateway.stop().then(() => resolve(0));
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
    // Node's default for SIGHUP is to die on the spot: no graceful stop, and a clean signal exit
    // that systemd's Restart=on-failure does not restart. Nothing is reloaded, so say so.
    process.on('SIGHUP', () => log.event('warn', { event: 'signal', signal: 'SIGHUP', action: 'ignored', message: 'nothing is reloaded: the policy and gateway.yaml are read at start; restart mailward serve to apply changes' }));
    // Said once the signals are handled: whoever waits for this line may signal at once.
    for (const a of gateway.addresses) process.stdout.write(`mailward: listening on ${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}\n`);
  });
}
