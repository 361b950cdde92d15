import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { schemaProblems } from './ajv-problems';
import { compilePolicy, type PolicySource } from './compile';
import type { CompiledPolicy } from './compiled-policy';
import { PolicyError, type PolicyProblem } from './policy-error';
import { positionFinder } from './positions';
import type { RawPolicy } from './raw-policy';

let validator: ValidateFunction | undefined;

/** The schema validator, compiled once (ajv strict, all errors). */
function validate(): ValidateFunction {
  if (!validator) {
    // The schema ships beside dist/ and src/ alike: packages/core/policy.schema.json.
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'policy.schema.json'), 'utf8')) as object;
    validator = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true, verbose: true }).compile(schema);
  }
  return validator;
}

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
  const locate = positionFinder(doc, lines);
  const raw = doc.toJS({ maxAliasCount: 100 }) as unknown;
  const check = validate();
  if (!check(raw)) {
    const problems = schemaProblems(check.errors ?? [], raw).map((p): PolicyProblem => {
      const pos = locate(p.path);
      const problem: PolicyProblem = { file, line: pos.line, col: pos.col, message: p.message, severity: 'error' };
      const rule = ruleIdAt(raw, p.path);
      if (rule !== undefined) problem.rule = rule;
      return problem;
    });
    throw new PolicyError(mergeCompileProblems(problems, raw as RawPolicy, { file, locate }));
  }
  return compilePolicy(raw as RawPolicy, { file, locate });
}

/** Reads and loads a policy file (.yaml, .yml or .json). */
export function loadPolicyFile(path: string): CompiledPolicy {
  return loadPolicy(readFileSync(path, 'utf8'), path);
}

/**
 * Schema problems alone would hide the rest (an unknown list, a stage mistake) until the next
 * run; compiling the invalid policy anyway finds those too. The compiler skips what the schema
 * rejected, but a shape it never expected may still trip it: then the schema problems stand alone.
 */
function mergeCompileProblems(problems: PolicyProblem[], raw: RawPolicy, source: PolicySource): PolicyProblem[] {
  const all = [...problems];
  try {
    compilePolicy(raw, source);
  } catch (err) {
    if (err instanceof PolicyError) {
      for (const p of err.problems) {
        if (!all.some((q) => q.line === p.line && q.col === p.col)) all.push(p);
      }
    }
  }
  return all.sort((a, b) => a.line - b.line || a.col - b.col);
}

function ruleIdAt(raw: unknown, path: readonly (string | number)[]): string | undefined {
  if (path[1] !== 'rules' || typeof path[2] !== 'number') return undefined;
  const rule = (raw as Record<string, { rules?: { id?: unknown }[] }>)[String(path[0])]?.rules?.[path[2]];
  return typeof rule?.id === 'string' ? rule.id : undefined;
}
