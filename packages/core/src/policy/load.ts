import { readFileSync } from 'node:fs';
import { isAlias, LineCounter, parseDocument, visit, type Document } from 'yaml';
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
  let raw: RawPolicy;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) as RawPolicy;
  } catch (err) {
    // toJS names an alias without its anchor, but not where it stands.
    const alias = unresolvedAlias(doc);
    if (!alias) throw err;
    const { line, col } = lines.linePos(alias.offset);
    throw new PolicyError([{ file, line, col, severity: 'error', message: `\`*${alias.name}\` refers to no anchor: define \`&${alias.name}\` before it (an anchor counts only above its aliases), or fix the name` }]);
  }
  return compilePolicy(raw, { file, locate: positionFinder(doc, lines) });
}

/** The first alias in the document whose anchor is not defined before it. */
function unresolvedAlias(doc: Document): { name: string; offset: number } | undefined {
  let found: { name: string; offset: number } | undefined;
  visit(doc, {
    Alias(_, node) {
      if (!isAlias(node) || node.resolve(doc) !== undefined) return undefined;
      found = { name: node.source, offset: node.range?.[0] ?? 0 };
      return visit.BREAK;
    },
  });
  return found;
}

/** Reads and loads a policy file (.yaml, .yml or .json). */
export function loadPolicyFile(path: string): CompiledPolicy {
  return loadPolicy(readFileSync(path, 'utf8'), path);
}
