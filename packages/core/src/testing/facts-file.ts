import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { formatProblem } from '../policy/policy-error';
import { yamlProblem } from '../policy/yaml-problem';
import type { CaseFacts } from './case';
import { nodeAt } from './case-file';
import { checkCase } from './case-schema';

/** A facts fixture file that cannot be used, with what to change. */
export class FactsFileError extends Error {
  readonly code = 'MW_FACTS_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'FactsFileError';
  }
}

/** Reads a facts fixture (YAML or JSON, the shape of a case's `facts:`), as `mailward eval --facts` takes it. */
export function loadFactsFile(file: string): CaseFacts {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new FactsFileError(`cannot read facts ${file}: ${(err as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) throw new FactsFileError(`cannot read facts ${formatProblem(yamlProblem(doc.errors, text, lines, file))}`);
  const value: unknown = doc.toJS() ?? {};
  const problems = checkCase({ name: 'facts', expect: { verdict: 'accept' }, facts: value });
  if (problems.length > 0) {
    // The case's pointers start at /facts; in the file that is the top.
    const where = (pointer: string): string => {
      const node = doc.contents ? nodeAt(doc.contents as Node, pointer.replace(/^\/facts/, '')) : undefined;
      const { line, col } = node?.range ? lines.linePos(node.range[0]) : { line: 1, col: 1 };
      return `${file}:${line}:${col}`;
    };
    const found = problems.map((p) => `  ${where(p.pointer)}: ${p.message.replace(/ in `facts`(?![.\w])/g, ' at the top level').replace(/`facts\.?/g, '`')}`);
    throw new FactsFileError(`${file} is not a facts fixture:\n${found.join('\n')}`);
  }
  return value as CaseFacts;
}
