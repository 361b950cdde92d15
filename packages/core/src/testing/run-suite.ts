import { dirname } from 'node:path';
import { formatProblem, PolicyError, type CompiledPolicy } from '../index';
import { loadPolicyWithTests } from './policy-file';
import { STAGES } from '../engine/stage';
import type { CaseSuite } from './discover';
import { runCase, type CaseRun } from './run-case';

/** A case's result with where the case is written. */
export interface CaseResult extends CaseRun {
  file: string;
  line: number;
  col: number;
  passed: boolean;
}

/** A suite, run: every case's result, the rules no case fired, and problems that stopped it. */
export interface SuiteResult {
  policy: string;
  results: CaseResult[];
  /** Rule ids no case fired (only meaningful when every case ran). */
  unfired: string[];
  /** The policy did not load, or the test files are unreadable: every case counts as failed. */
  problems: string[];
  /** Cases that could not run because the policy did not load (they count as failed). */
  notRun: number;
}

/** Loads the suite's policy and runs each of its cases in order. */
export async function runSuite(suite: CaseSuite): Promise<SuiteResult> {
  const out: SuiteResult = { policy: suite.policy, results: [], unfired: [], problems: [...suite.problems], notRun: 0 };
  let policy: CompiledPolicy;
  try {
    policy = loadPolicyWithTests(suite.policy);
  } catch (err) {
    out.problems.push(...policyProblems(err, suite.policy, suite.policyFrom));
    out.notRun = suite.cases.length;
    return out;
  }
  const fired = new Set<string>();
  for (const c of suite.cases) {
    const where = { file: c.file, line: c.line, col: c.col };
    if (c.problems.length > 0) {
      out.results.push({ name: c.case.name ?? '(unnamed)', failures: c.problems, passed: false, ...where });
      continue;
    }
    let run: CaseRun;
    try {
      run = await runCase(policy, c.case, { baseDir: dirname(c.file) });
    } catch (err) {
      run = { name: c.case.name, failures: [`the session threw: ${(err as Error).stack ?? String(err)}`] };
    }
    for (const id of run.outcome?.fired ?? []) fired.add(id);
    out.results.push({ ...run, passed: run.failures.length === 0, ...where });
  }
  out.unfired = ruleIdsOf(policy).filter((id) => !fired.has(id));
  return out;
}

/**
 * The problems a failed policy load reports, one line each ("file:line:col: message"); a policy
 * that is not there is reported where `from` (a test file's `policy:`) names it.
 */
export function policyProblems(err: unknown, file: string, from?: string): string[] {
  if (err instanceof PolicyError) {
    return err.problems.map(formatProblem);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT' && from !== undefined) return [`${from}: no such policy file ${file}; \`policy\` is the path of the policy, relative to the test file`];
  return [`${file}: ${e.code === 'ENOENT' ? 'no such policy file' : e.message}`];
}

/** Every rule id of a compiled policy, in stage order. */
export function ruleIdsOf(policy: CompiledPolicy): string[] {
  return STAGES.flatMap((stage) => policy.stages[stage].rules.map((r) => r.id));
}
