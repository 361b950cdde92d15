import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { LoadedCase } from './case-file';
import { loadCaseFile } from './case-file';

/** All the cases for one policy, from every file that holds some. */
export interface CaseSuite {
  policy: string;
  /** Where a test file's `policy:` names the policy ("file:line:col"), when one does. */
  policyFrom?: string;
  files: string[];
  cases: LoadedCase[];
  problems: string[];
}

/**
 * Finds the YAML cases for a policy file (its `tests:` and `<name>.test.yaml` beside it), or,
 * for a folder, for every policy under it (recursively), grouped by policy.
 */
export function discoverSuites(target: string): CaseSuite[] {
  const path = resolve(target);
  if (!existsSync(path)) throw Object.assign(new Error(`${target}: no such file or folder`), { code: 'MW_TEST_NOT_FOUND' });
  const suites = new Map<string, CaseSuite>();
  const add = (file: string, role: 'cases' | 'policy'): void => {
    const loaded = loadCaseFile(file, role);
    const suite = suites.get(loaded.policy) ?? { policy: loaded.policy, files: [], cases: [], problems: [] };
    if (loaded.cases.length > 0 || loaded.problems.length > 0 || role === 'cases') suite.files.push(loaded.file);
    suite.cases.push(...loaded.cases);
    suite.problems.push(...loaded.problems);
    if (loaded.policyFrom !== undefined) suite.policyFrom ??= loaded.policyFrom;
    suites.set(loaded.policy, suite);
  };
  if (statSync(path).isDirectory()) {
    for (const file of walk(path)) {
      if (isTestFile(file)) add(file, 'cases');
      else if (hasTests(file)) add(file, 'policy');
    }
  } else if (isTestFile(path)) {
    add(path, 'cases');
  } else {
    add(path, 'policy');
    for (const ext of ['.test.yaml', '.test.yml']) {
      const sibling = join(dirname(path), basename(path).replace(/\.(ya?ml|json)$/i, '') + ext);
      if (existsSync(sibling)) add(sibling, 'cases');
    }
    const own = suites.get(path);
    if (own) own.files = [...new Set(own.files)];
    if (!suites.has(path)) suites.set(path, { policy: path, files: [], cases: [], problems: [] });
  }
  for (const suite of suites.values()) markDuplicates(suite.cases);
  return [...suites.values()].sort((a, b) => a.policy.localeCompare(b.policy));
}

function isTestFile(file: string): boolean {
  return /\.test\.ya?ml$/i.test(file);
}

// A policy file takes part in a folder run only when it has cases of its own.
function hasTests(file: string): boolean {
  if (!/\.ya?ml$/i.test(file)) return false;
  try {
    const doc = parseDocument(readFileSync(file, 'utf8'));
    return doc.has('tests') && doc.has('version');
  } catch {
    return false;
  }
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

// RuleTester refuses duplicate cases: a second case with the same name or the same input tests
// nothing new and usually hides a copy-paste mistake. The duplicate fails; the first runs.
/** Marks the second of two cases with the same name or the same input as failing. */
export function markDuplicates(cases: LoadedCase[]): void {
  const names = new Map<string, LoadedCase>();
  const inputs = new Map<string, LoadedCase>();
  // A case without a name already fails for it: it is named by its place, never a duplicate name.
  const called = (c: LoadedCase): string => (typeof c.case.name === 'string' ? `"${c.case.name}"` : `at ${c.file}:${c.line}`);
  for (const c of cases) {
    const named = typeof c.case.name === 'string';
    const first = named ? names.get(c.case.name) : undefined;
    if (first) c.problems.push(`${c.file}:${c.line}:${c.col}: duplicate case name "${c.case.name}" (first at ${first.file}:${first.line})`);
    else if (named) names.set(c.case.name, c);
    const key = inputKey(c.case);
    const same = inputs.get(key);
    if (same && !first) c.problems.push(`${c.file}:${c.line}:${c.col}: case ${called(c)} has the same envelope, message and facts as ${called(same)}${typeof same.case.name === 'string' ? ` (${same.file}:${same.line})` : ''}`);
    else if (!same) inputs.set(key, c);
  }
}

/** A canonical text of a case's input, to find duplicates. */
export function inputKey(c: { envelope?: unknown; message?: unknown; facts?: unknown }): string {
  return canonical({ envelope: c.envelope ?? null, message: c.message ?? null, facts: c.facts ?? null });
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
