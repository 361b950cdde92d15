import type { PolicyPath } from './compile-scope';
import type { PolicyProblem } from './policy-error';

/** Where on a key a problem points: the key (unknown, missing) or its value (a wrong type or value). */
export type ProblemPlace = 'key' | 'value';

/** Where a raw policy came from, so problems point at file:line:col. */
export interface PolicySource {
  file: string;
  /** 1-based line and column of a path in the file: the key, for a key that is there, or with `at: 'value'` its value. */
  locate(path: PolicyPath, at?: ProblemPlace): { line: number; col: number };
}

/**
 * A problem at `path`: at its file position when the policy came from a file, else (a policy
 * written in code) at 0:0 in "<policy>" with the path spelled out in front of the message.
 */
export function problemAt(source: PolicySource | undefined, path: PolicyPath, message: string, severity: 'error' | 'warning', rule?: string, at: ProblemPlace = 'key'): PolicyProblem {
  const pos = source ? source.locate(path, at) : { line: 0, col: 0 };
  const p: PolicyProblem = { file: source?.file ?? '<policy>', line: pos.line, col: pos.col, message: source ? message : `${formatPath(path)}: ${message}`, severity };
  if (rule !== undefined) p.rule = rule;
  return p;
}

/** "data.rules[2].when.part" for problems without a file position. */
export function formatPath(path: PolicyPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(policy)';
}
