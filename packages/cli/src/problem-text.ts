import type { PolicyProblem } from '@mailward/core';

/** One policy problem as a line: "file:line:col: warning: message". */
export function describeProblem(p: PolicyProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.severity === 'warning' ? 'warning: ' : ''}${p.message}`;
}
