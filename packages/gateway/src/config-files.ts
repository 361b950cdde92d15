import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import type { GatewayConfig } from './config';
import { readPasswordLines } from './password-lines';
import { domainProblem } from './domain-name';
import { BUILTIN_NAME, gatewayPolicyProblems } from './policy-source';
import { tlsPairProblems } from './tls-check';

/** `file:line:col` of a path in gateway.yaml. */
type Where = (path: (string | number)[]) => string;

/** Why a file the gateway reads at start cannot be read, or undefined when it can. */
function unreadable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return 'is not a file';
    accessSync(path, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : (err as Error).message;
  }
}

/**
 * The files gateway.yaml names (policy, TLS keys and certificates, password files, CAs) that
 * cannot be read, listener TLS keys and certificates that are not a matching PEM pair, each
 * with the key that names it, the policy's problems, and the lines of password files that
 * cannot be used, so `mailward serve` stops before anything starts (no spool made, no `start`
 * logged) instead of failing half-way. Paths are absolute here.
 */
export function configFileProblems(config: GatewayConfig, at: Where): string[] {
  const files: { path: (string | number)[]; file: string | undefined }[] = [];
  if (!config.policy.startsWith('builtin:')) files.push({ path: ['policy'], file: config.policy });
  config.listeners.forEach((l, i) => {
    files.push({ path: ['listeners', i, 'tls', 'key'], file: l.tls?.key }, { path: ['listeners', i, 'tls', 'cert'], file: l.tls?.cert });
    files.push({ path: ['listeners', i, 'auth', 'passwords'], file: l.auth?.passwords }, { path: ['listeners', i, 'auth', 'imap', 'ca'], file: l.auth?.imap?.ca });
  });
  const d = config.delivery;
  files.push({ path: ['delivery', 'tls', 'ca'], file: d.tls?.ca }, { path: ['delivery', 'smarthost', 'tls', 'ca'], file: d.smarthost?.tls?.ca }, { path: ['delivery', 'mx', 'tls', 'ca'], file: d.mx?.tls?.ca });
  const problems: string[] = [];
  if (config.policy.startsWith('builtin:') && config.policy !== BUILTIN_NAME) {
    problems.push(`${at(['policy'])}: /policy: ${config.policy} is not a built-in policy (the one there is: ${BUILTIN_NAME}); give the path of a policy file instead (Mailward's examples/ folder has several to copy)`);
  }
  for (const { path, file } of files) {
    const why = file === undefined ? undefined : unreadable(file);
    if (why) problems.push(`${at(path)}: /${path.join('/')}: ${file} ${why}`);
  }
  // A listener's key and cert, once both can be read, must be a matching PEM pair: what is
  // wrong with one file is told at the key that names it, a mismatch at the listener's tls.
  config.listeners.forEach((l, i) => {
    if (!l.tls || unreadable(l.tls.key) || unreadable(l.tls.cert)) return;
    for (const { at: where, problem } of tlsPairProblems(l.tls.key, l.tls.cert)) {
      const path = ['listeners', i, 'tls', ...(where === 'pair' ? [] : [where])];
      problems.push(`${at(path)}: /${path.join('/')}: ${problem}`);
    }
  });
  // The policy, once it can be read, must load, with gateway.yaml's domain when that is one
  // (a bad domain is told as such already).
  const policyReadable = config.policy.startsWith('builtin:') ? config.policy === BUILTIN_NAME : !unreadable(config.policy);
  const domain = config.domain !== undefined && !domainProblem(config.domain) ? config.domain : undefined;
  if (policyReadable) problems.push(...gatewayPolicyProblems(config.policy, domain, config.domainFrom));
  // A password file that can be read must be usable line by line: each bad line at its own
  // file:line:col (read once, however many listeners share it).
  const passwords = new Set(config.listeners.map((l) => l.auth?.passwords).filter((f): f is string => f !== undefined && !unreadable(f)));
  for (const file of passwords) {
    for (const { where, problem } of readPasswordLines(file, readFileSync(file, 'utf8')).problems) problems.push(`${where}: ${problem}`);
  }
  return problems;
}
