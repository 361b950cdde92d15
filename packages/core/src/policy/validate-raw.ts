import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { schemaProblems } from './ajv-problems';
import type { PolicyPath } from './compile-scope';
import type { PolicyProblem } from './policy-error';
import { problemAt, type PolicySource } from './problem-at';

let validator: ValidateFunction | undefined;

/** The schema validator, compiled once (ajv strict, all errors). */
function schemaValidator(): ValidateFunction {
  if (!validator) {
    // The schema ships beside dist/ and src/ alike: packages/core/policy.schema.json.
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'policy.schema.json'), 'utf8')) as object;
    validator = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true }).compile(schema);
  }
  return validator;
}

/** A schema problem with the path it is about, so the compiler need not say it again. */
export interface SchemaFinding {
  path: PolicyPath;
  problem: PolicyProblem;
}

/** What the JSON Schema finds wrong with a raw policy, as readable problems ([] when valid). */
export function validateRawPolicy(raw: unknown, source: PolicySource | undefined): SchemaFinding[] {
  const check = schemaValidator();
  if (check(raw)) return [];
  return schemaProblems(check.errors ?? [], raw).map((p) => ({ path: p.path, problem: problemAt(source, p.path, p.message, 'error', ruleIdAt(raw, p.path), p.at) }));
}

function ruleIdAt(raw: unknown, path: PolicyPath): string | undefined {
  if (path[1] !== 'rules' || typeof path[2] !== 'number') return undefined;
  const rule = (raw as Record<string, { rules?: { id?: unknown }[] } | undefined>)?.[String(path[0])]?.rules?.[path[2]];
  return typeof rule?.id === 'string' ? rule.id : undefined;
}
