import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { CaseFacts } from './case';
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
  let value: unknown;
  try {
    value = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (err) {
    throw new FactsFileError(`cannot read facts ${file}: ${(err as Error).message}`);
  }
  const problems = checkCase({ name: 'facts', expect: { verdict: 'accept' }, facts: value });
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.message.replace(/`facts\.?/g, '`')}`);
    throw new FactsFileError(`${file} is not a facts fixture:\n${lines.join('\n')}`);
  }
  return value as CaseFacts;
}
