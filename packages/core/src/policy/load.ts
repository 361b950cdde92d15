import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { compilePolicy } from './compile';
import type { CompiledPolicy } from './compiled-policy';
import { PolicyError, type PolicyProblem } from './policy-error';
import { positionFinder } from './positions';
import type { RawPolicy } from './raw-policy';

/**
 * Parses, validates and compiles policy text (YAML, or JSON, which YAML reads too). `file` names
 * it in problems. Throws PolicyError listing every problem with file:line:col.
 */
export function loadPolicy(text: string, file: string): CompiledPolicy {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      doc.errors.map((e): PolicyProblem => {
        const pos = lines.linePos(e.pos[0]);
        return { file, line: pos.line, col: pos.col, message: `${e.message.split('\n')[0]}; fix the ${file.endsWith('.json') ? 'JSON' : 'YAML'} syntax`, severity: 'error' };
      }),
    );
  }
  const raw = doc.toJS({ maxAliasCount: 100 }) as RawPolicy;
  return compilePolicy(raw, { file, locate: positionFinder(doc, lines) });
}

/** Reads and loads a policy file (.yaml, .yml or .json). */
export function loadPolicyFile(path: string): CompiledPolicy {
  return loadPolicy(readFileSync(path, 'utf8'), path);
}
