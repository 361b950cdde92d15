import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { compilePolicy } from './compile';
import type { CompiledPolicy } from './compiled-policy';
import { PolicyError } from './policy-error';
import { positionFinder } from './positions';
import type { RawPolicy } from './raw-policy';
import { yamlProblem } from './yaml-problem';

/**
 * Parses, validates and compiles policy text (YAML, or JSON, which YAML reads too). `file` names
 * it in problems. Throws PolicyError listing every problem with file:line:col (for broken YAML,
 * the first syntax error only).
 */
export function loadPolicy(text: string, file: string): CompiledPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) throw new PolicyError([yamlProblem(doc.errors, text, lines, file)]);
  const raw = doc.toJS({ maxAliasCount: 100 }) as RawPolicy;
  return compilePolicy(raw, { file, locate: positionFinder(doc, lines) });
}

/** Reads and loads a policy file (.yaml, .yml or .json). */
export function loadPolicyFile(path: string): CompiledPolicy {
  return loadPolicy(readFileSync(path, 'utf8'), path);
}
