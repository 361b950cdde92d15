import { loadPolicy } from '../../src/policy/load';
import { PolicyError } from '../../src/policy/policy-error';

/** "line:col: message" of each problem loading the policy `text` ([] when it loads). */
export function loadProblems(text: string): string[] {
  try {
    loadPolicy(text, 'p.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
    throw err;
  }
  return [];
}
