import { readFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument } from 'yaml';
import { loadPolicy, type CompiledPolicy } from '../index';

/**
 * Loads a policy file that may carry its own `tests:` (the cases, for `mailward test` and
 * PolicyTester). The cases are not part of the policy, so they are blanked out before loading,
 * keeping every other line and column where it was for the loader's problems.
 */
export function loadPolicyWithTests(path: string): CompiledPolicy {
  return loadPolicy(withoutTests(readFileSync(path, 'utf8')), path);
}

/** The policy text with a top-level `tests:` entry replaced by blank space (newlines kept). */
export function withoutTests(text: string): string {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return text;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'tests');
  const start = (pair?.key as { range?: number[] } | undefined)?.range?.[0];
  const value = pair?.value as { range?: number[] } | null | undefined;
  if (!pair || start === undefined) return text;
  const end = value?.range?.[2] ?? (pair.key as { range: number[] }).range[2];
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}
