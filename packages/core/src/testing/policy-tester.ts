import { dirname, relative, resolve } from 'node:path';
import type { CompiledPolicy } from '../index';
import { loadPolicyWithTests } from './policy-file';
import type { PolicyCase } from './case';
import type { LoadedCase } from './case-file';
import { checkCase } from './case-schema';
import { discoverSuites, markDuplicates } from './discover';
import { runCase } from './run-case';
import { policyProblems, ruleIdsOf } from './run-suite';

/** What to do about rules that no case fires. */
export type UnfiredRules = 'fail' | 'warn' | 'off';

export interface PolicyTesterOptions {
  /** Default 'warn': print them. 'fail' adds a failing test naming them. */
  unfiredRules?: UnfiredRules;
  /** The runner's describe/it; default: the globals (jest, mocha, vitest with globals). */
  host?: TestHost;
}

type Body = () => void | Promise<void>;
/** The two functions of a test runner the tester registers cases with. */
export interface TestHost {
  describe(title: string, body: () => void): void;
  it(title: string, body: Body): void;
}

/**
 * Runs policy test cases under jest (or any runner with describe/it), as strictly as ESLint's
 * RuleTester: cases are checked against the case schema (unknown keys fail), duplicates fail, a
 * case whose decision changes the message must state the effects, and rules no case fires are
 * reported at the end.
 */
export class PolicyTester {
  private readonly unfired: UnfiredRules;
  private readonly host: TestHost | undefined;

  constructor(options: PolicyTesterOptions = {}) {
    this.unfired = options.unfiredRules ?? 'warn';
    this.host = options.host;
  }

  /** Registers one test per case for a policy (compiled, or the path of a policy file). */
  run(title: string, policy: CompiledPolicy | string, cases: PolicyCase[], options: { baseDir?: string } = {}): void {
    const baseDir = options.baseDir ?? (typeof policy === 'string' ? dirname(resolve(policy)) : process.cwd());
    const loaded: LoadedCase[] = cases.map((c, i) => ({
      case: c,
      file: '(inline)',
      line: i + 1,
      col: 1,
      problems: checkCase(c).map((p) => `case ${i + 1}${p.pointer === '/' ? '' : ` at ${p.pointer}`}: ${p.message}`),
    }));
    markDuplicates(loaded);
    this.register(title, () => (typeof policy === 'string' ? loadPolicyWithTests(policy) : policy), loaded, () => baseDir, []);
  }

  /** Registers the YAML cases of a policy file (its `tests:` and `*.test.yaml` beside it) or a folder. */
  runYaml(target: string): void {
    for (const suite of discoverSuites(target)) {
      const title = relative(process.cwd(), suite.policy) || suite.policy;
      this.register(title, () => loadPolicyWithTests(suite.policy), suite.cases, (c) => dirname(c.file), suite.problems);
    }
  }

  private register(
    title: string,
    load: () => CompiledPolicy,
    cases: LoadedCase[],
    baseDirOf: (c: LoadedCase) => string,
    fileProblems: string[],
  ): void {
    const host = this.host ?? testHost();
    const unfiredMode = this.unfired;
    let policy: CompiledPolicy | undefined;
    let loadError: string[] | undefined;
    const getPolicy = (): CompiledPolicy => {
      if (!policy && !loadError) {
        try {
          policy = load();
        } catch (err) {
          loadError = policyProblems(err, title);
        }
      }
      if (loadError) throw failure('the policy does not load', loadError);
      return policy as CompiledPolicy;
    };
    const fired = new Set<string>();
    let ran = 0;
    host.describe(title, () => {
      if (fileProblems.length > 0) host.it('test files are well-formed', () => { throw failure('the test file has problems', fileProblems); });
      if (cases.length === 0) host.it('has test cases', () => { throw failure('no test cases found', [`add cases under \`tests:\` or in a *.test.yaml beside ${title}`]); });
      for (const c of cases) {
        host.it(c.case.name ?? `case at ${c.file}:${c.line}`, async () => {
          if (c.problems.length > 0) throw failure('the case is not valid', c.problems);
          const run = await runCase(getPolicy(), c.case, { baseDir: baseDirOf(c) });
          ran++;
          for (const id of run.outcome?.fired ?? []) fired.add(id);
          if (run.failures.length > 0) throw failure(`case "${c.case.name}" (${c.file}:${c.line})`, run.failures);
        });
      }
      if (unfiredMode !== 'off') {
        host.it('every rule is fired by some case', () => {
          // Filtered or failed runs cannot say what is unfired; only judge a complete run.
          if (ran < cases.length) return;
          const missing = ruleIdsOf(getPolicy()).filter((id) => !fired.has(id));
          if (missing.length === 0) return;
          const text = `rules no case fires: ${missing.join(', ')}`;
          if (unfiredMode === 'fail') throw failure(text, ['add a case that makes each of them match']);
          console.warn(`${title}: ${text}`);
        });
      }
    });
  }
}

function failure(title: string, lines: string[]): Error {
  const err = new Error(`${title}\n${lines.map((l) => `  - ${l.replace(/\n/g, '\n    ')}`).join('\n')}`);
  err.name = 'PolicyTestFailure';
  return err;
}

function testHost(): TestHost {
  const g = globalThis as unknown as Partial<TestHost>;
  if (typeof g.describe !== 'function' || typeof g.it !== 'function') {
    throw Object.assign(new Error('PolicyTester needs a test runner with global describe/it (jest); use `mailward test` outside one'), {
      code: 'MW_TEST_NO_RUNNER',
    });
  }
  return { describe: g.describe.bind(g), it: g.it.bind(g) };
}
