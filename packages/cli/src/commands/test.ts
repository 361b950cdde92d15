import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverSuites, runSuite, type SuiteResult } from '@mailward/core/testing';
import type { Io } from '../io';
import { InputError, UsageError } from '../usage-error';

/**
 * `mailward test POLICY|DIR [--strict] [--verbose]`: runs the YAML cases (a policy's `tests:`,
 * `*.test.yaml` beside it; every policy under a folder) and prints a jest-like summary. Exit 1
 * when a case fails (with --strict, also when some rule is fired by no case).
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length === 0) throw new UsageError('test takes policy files or folders: mailward test POLICY|DIR');
  const results: SuiteResult[] = [];
  for (const target of positionals) {
    let suites;
    try {
      suites = discoverSuites(target);
    } catch (err) {
      throw new InputError((err as Error).message, 'MW_TEST_NOT_FOUND');
    }
    if (suites.length === 0) throw new InputError(`${target}: no test cases found (add \`tests:\` to a policy or a *.test.yaml beside it)`, 'MW_TEST_NONE');
    for (const suite of suites) results.push(await runSuite(suite));
  }

  let casesPassed = 0;
  let casesFailed = 0;
  let suitesFailed = 0;
  for (const s of results) {
    const failed = s.results.filter((r) => !r.passed);
    const broken = s.problems.length > 0 || failed.length > 0 || (s.results.length === 0) || (values.strict === true && s.unfired.length > 0);
    casesPassed += s.results.length - failed.length;
    // Cases a broken policy kept from running fail with it; a suite with none still counts one.
    casesFailed += failed.length + (s.problems.length > 0 && s.results.length === 0 ? Math.max(1, s.notRun) : 0);
    if (broken) suitesFailed++;
    const count = s.results.length + s.notRun;
    io.out(`${broken ? 'FAIL' : 'PASS'} ${show(s.policy)} (${count} ${count === 1 ? 'case' : 'cases'}${s.notRun > 0 ? ', not run' : ''})\n`);
    for (const p of s.problems) io.out(`  ! ${show(p)}\n`);
    if (s.results.length === 0 && s.problems.length === 0) io.out('  ! no cases\n');
    for (const r of s.results) {
      if (r.passed && !values.verbose) continue;
      io.out(`  ${r.passed ? 'ok  ' : 'FAIL'} ${r.name}  (${show(r.file)}:${r.line})\n`);
      for (const f of r.failures) io.out(`         ${show(f).replace(/\n/g, '\n         ')}\n`);
    }
    if (s.unfired.length > 0 && s.problems.length === 0) {
      io.out(`  ${values.strict ? 'FAIL' : 'warn'} rules no case fires: ${s.unfired.join(', ')}\n`);
    }
  }
  const total = casesPassed + casesFailed;
  io.out(`\nSuites: ${suitesFailed > 0 ? `${suitesFailed} failed, ` : ''}${results.length - suitesFailed} passed, ${results.length} total\n`);
  io.out(`Cases:  ${casesFailed > 0 ? `${casesFailed} failed, ` : ''}${casesPassed} passed, ${total} total\n`);
  return suitesFailed > 0 ? 1 : 0;
}

// Paths relative to the working folder read better and match what the user typed.
function show(text: string): string {
  const cwd = process.cwd();
  return text.split(cwd + '/').join('').replace(new RegExp(`^${escape(cwd)}$`), relative(cwd, cwd) || '.');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { strict: { type: 'boolean' }, verbose: { type: 'boolean', short: 'v' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
