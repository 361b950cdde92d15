import { parseArgs } from 'node:util';
import { formatProblem, PolicyError } from '@mailward/core';
import { loadPolicyWithTests, policyProblems, ruleIdsOf } from '@mailward/core/testing';
import type { Io } from '../io';
import { UsageError } from '../usage-error';

/** `mailward check POLICY`: exit 0 and a one-line summary (plus warnings), or 1 and every error. */
export async function run(argv: string[], io: Io): Promise<number> {
  const { positionals } = parse(argv);
  if (positionals.length !== 1) throw new UsageError('check takes exactly one policy file: mailward check POLICY');
  const file = positionals[0];
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
