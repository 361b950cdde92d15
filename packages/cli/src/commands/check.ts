import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { GATEWAY_KEYS, GatewayConfigError, loadGatewayConfig, loadGatewayPolicy } from '@mailward/gateway';
import { parse as parseYaml } from 'yaml';
import { formatProblem, PolicyError } from '@mailward/core';
import { loadPolicyWithTests, policyProblems, ruleIdsOf } from '@mailward/core/testing';
import type { Io } from '../io';
import { UsageError } from '../usage-error';

/**
 * `mailward check POLICY`: exit 0 and a one-line summary (plus warnings), or 1 and every error.
 * A gateway.yaml is checked as `mailward serve --config` would take it, with the policy it names.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { positionals } = parse(argv);
  if (positionals.length !== 1) throw new UsageError('check takes exactly one policy file (or gateway.yaml): mailward check FILE');
  const file = positionals[0]!;
  if (isGatewayConfig(file)) return checkGateway(file, io);
  let policy;
  try {
    policy = loadPolicyWithTests(file);
  } catch (err) {
    const problems = policyProblems(err, file);
    for (const line of problems) io.err(`${line}\n`);
    // Warnings come with the errors (in file order) but are not why the policy is invalid.
    const warnings = err instanceof PolicyError ? err.problems.filter((p) => p.severity === 'warning').length : 0;
    const errors = problems.length - warnings;
    io.err(`${file}: invalid (${count(errors, 'problem')}${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''})\n`);
    return 1;
  }
  const warnings = policy.warnings ?? [];
  for (const w of warnings) io.err(`${formatProblem(w)}\n`);
  const rules = ruleIdsOf(policy).length;
  const name = (policy as { name?: string }).name;
  io.out(`${file}: valid${name ? ` policy "${name}"` : ''}, ${count(rules, 'rule')}${warnings.length > 0 ? `, ${count(warnings.length, 'warning')}` : ''}\n`);
  return 0;
}

/** Whether the file is a gateway.yaml rather than a policy: a map with one of the gateway's keys, without `version`. */
function isGatewayConfig(file: string): boolean {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch {
    return false; // the policy loader says what is wrong with it
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || 'version' in doc) return false;
  return Object.keys(doc).some((key) => GATEWAY_KEYS.includes(key));
}

/** A gateway.yaml, and then its policy, with what `serve` would refuse them for. */
function checkGateway(file: string, io: Io): number {
  let config;
  try {
    config = loadGatewayConfig(file, process.cwd(), { checkFiles: true });
  } catch (err) {
    if (!(err instanceof GatewayConfigError)) throw err;
    for (const line of err.problems) io.err(`${line}\n`);
    io.err(`${file}: invalid gateway configuration (${count(err.problems.length, 'problem')})\n`);
    return 1;
  }
  const policyFile = config.policy;
  let policy;
  try {
    policy = loadGatewayPolicy(policyFile, config.domain, config.domainFrom);
  } catch (err) {
    const problems = err instanceof PolicyError ? policyProblems(err, policyFile) : [(err as Error).message];
    for (const line of problems) io.err(`${line}\n`);
    io.err(`${file}: its policy ${policyFile} is invalid (${count(problems.length, 'problem')})\n`);
    return 1;
  }
  for (const w of policy.warnings ?? []) io.err(`${formatProblem(w)}\n`);
  io.out(`${file}: valid gateway configuration; policy ${policyFile}: ${count(ruleIdsOf(policy).length, 'rule')}\n`);
  return 0;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: {}, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
