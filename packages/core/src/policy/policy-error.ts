/** One thing wrong (or suspicious) in a policy, with where it is and what to change. */
export interface PolicyProblem {
  file: string;
  /** 1-based line and column of the offending key or value; 0:0 for a policy written in code (the message then starts with the path). */
  line: number;
  col: number;
  /** The rule id, when the problem is inside a rule. */
  rule?: string;
  /** What is wrong and what to change; `toString` of the error puts file:line:col in front. */
  message: string;
  severity: 'error' | 'warning';
}

/** Thrown when a policy cannot be loaded; `problems` lists every error found, not just the first. */
export class PolicyError extends Error {
  readonly code = 'MW_POLICY_INVALID';
  readonly problems: PolicyProblem[];

  constructor(problems: PolicyProblem[]) {
    super(problems.map(formatProblem).join('\n') || 'invalid policy');
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

/** "policy.yaml:12:9: rule `x`: message", the form editors and CI logs link to. */
export function formatProblem(p: PolicyProblem): string {
  const rule = p.rule !== undefined ? `rule \`${p.rule}\`: ` : '';
  const level = p.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}:${p.line}:${p.col}: ${level}${rule}${p.message}`;
}
