import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { formatProblem } from '../policy/policy-error';
import { yamlProblem } from '../policy/yaml-problem';
import type { PolicyCase } from './case';
import { checkCase } from './case-schema';

/** A case read from a file, with where it stands and what is wrong with it as written. */
export interface LoadedCase {
  case: PolicyCase;
  file: string;
  line: number;
  col: number;
  /** "file:line:col: message" for each problem; a case with problems fails without running. */
  problems: string[];
}

/** The cases one file holds, and the policy they test. */
export interface CaseFile {
  file: string;
  /** The policy these cases test (absolute path). */
  policy: string;
  /** Where the file's `policy:` names it ("file:line:col"), when it does. */
  policyFrom?: string;
  cases: LoadedCase[];
  /** Problems with the file as a whole (not a list, unknown top-level keys, bad YAML). */
  problems: string[];
}

/**
 * Reads test cases from a YAML file: a `*.test.yaml` (a list of cases, or `{ policy, tests }`),
 * or a policy file's own `tests:` list. Positions are kept so every problem names file:line:col.
 */
export function loadCaseFile(file: string, role: 'cases' | 'policy'): CaseFile {
  const path = resolve(file);
  const text = readFileSync(path, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: Node | null | undefined, message: string): string => {
    const { line, col } = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    return `${path}:${line}:${col}: ${message}`;
  };
  const result: CaseFile = { file: path, policy: role === 'policy' ? path : siblingPolicy(path), cases: [], problems: [] };
  if (doc.errors.length > 0) {
    // As for a policy: the first syntax error, where its token is, and what to change.
    result.problems.push(formatProblem(yamlProblem(doc.errors, text, lines, path)));
    return result;
  }

  let list: Node | null | undefined;
  const root = doc.contents;
  if (role === 'cases' && isSeq(root)) list = root;
  else if (isMap(root)) {
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'tests') list = pair.value as Node;
      else if (key === 'policy' && role === 'cases') {
        const v = pair.value;
        if (isScalar(v) && typeof v.value === 'string') {
          result.policy = resolve(dirname(path), v.value);
          result.policyFrom = at(v, '').slice(0, -2);
        }
        else result.problems.push(at(v as Node, '`policy` must be the path of the policy file'));
      } else if (role === 'cases') result.problems.push(at(pair.key as Node, `unknown key \`${key}\`; a test file has \`policy\` and \`tests\``));
    }
  } else if (role === 'cases') {
    result.problems.push(at(root, 'a test file is a list of cases, or a map with `policy` and `tests`'));
  }
  if (list === undefined || list === null) return result;
  if (!isSeq(list)) {
    result.problems.push(at(list, '`tests` must be a list of cases'));
    return result;
  }
  for (const item of list.items) {
    const node = item as Node;
    const value = (node as { toJSON(): unknown }).toJSON() as PolicyCase;
    const problems = checkCase(value).map((p) => at(nodeAt(node, p.pointer), p.message));
    const { line, col } = node.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
    result.cases.push({ case: value, file: path, line, col, problems });
  }
  return result;
}

/** `x.test.yaml` tests `x.yaml` (or `x.yml`, `x.json`) in the same folder. */
export function siblingPolicy(testFile: string): string {
  const stem = basename(testFile).replace(/\.test\.ya?ml$/i, '');
  const candidates = ['.yaml', '.yml', '.json'].map((ext) => resolve(dirname(testFile), stem + ext));
  return candidates.find((c) => existsSync(c)) ?? candidates[0];
}

/** The node a JSON pointer names; for a key, the key itself (where the typo is). */
export function nodeAt(start: Node, pointer: string): Node {
  let node: Node = start;
  const parts = pointer.split('/').slice(1).filter((p) => p !== '');
  for (const part of parts) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === part);
      if (!pair) return node;
      if (part === parts[parts.length - 1]) return pair.key as Node;
      node = pair.value as Node;
    } else if (isSeq(node)) {
      const next = node.items[Number(part)] as Node | undefined;
      if (!next) return node;
      node = next;
    } else return node;
  }
  return node;
}
