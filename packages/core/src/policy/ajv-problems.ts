import type { ErrorObject } from 'ajv';
import type { PolicyPath } from './compile-scope';
import type { ProblemPlace } from './problem-at';

export interface SchemaProblem {
  path: PolicyPath;
  message: string;
  /** A wrong value points at the value, as an editor underlines it; a key problem at the key. */
  at?: ProblemPlace;
}

/**
 * Turns ajv's errors into one readable problem per place: unknown keys with a "did you mean",
 * missing keys, wrong types and values. The `if` half of if/then/else and errors of a parent
 * whose child already explains the problem are dropped.
 */
export function schemaProblems(errors: readonly ErrorObject[], root: unknown): SchemaProblem[] {
  const relevant = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'propertyNames');
  const out = new Map<string, SchemaProblem>();
  for (const e of relevant) {
    // propertyNames errors are about a key, not the value at instancePath.
    const key = (e as { propertyName?: string }).propertyName;
    const path = key !== undefined ? [...toPath(e.instancePath), key] : toPath(e.instancePath);
    const value = key !== undefined ? key : valueAt(root, path);
    let problem: SchemaProblem;
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const dotted = key.split('.');
        if (dotted.length === 2 && allowed.includes(dotted[0]!)) {
          problem = { path: [...path, key], message: `\`${key}\` is written as a sub-key: \`${dotted[0]}: { ${dotted[1]}: ... }\`` };
          break;
        }
        const hint = closest(key, allowed);
        problem = {
          path: [...path, key],
          message: `\`${key}\` is not known ${where(path)}${hint ? `; did you mean \`${hint}\`?` : allowed.length > 0 ? `; known keys: ${allowed.join(', ')}` : ''}`,
        };
        break;
      }
      case 'required':
        problem = { path, message: `${where(path, true)} needs \`${String(e.params.missingProperty)}\`` };
        break;
      case 'enum':
      case 'const': {
        const values = e.keyword === 'enum' ? (e.params.allowedValues as unknown[]) : [e.params.allowedValue];
        const quoted = typeof value === 'string' ? values.find((v) => typeof v !== 'string' && String(v) === value) : undefined;
        if (quoted !== undefined) {
          problem = { path, at: 'value', message: `${where(path, true)} must be the ${typeof quoted} ${String(quoted)}, not the string "${value as string}": write it without quotes` };
          break;
        }
        const allowed = values.map(String);
        const hint = typeof value === 'string' ? closest(value, allowed) : undefined;
        problem = { path, at: 'value', message: `\`${String(value)}\` is not allowed ${where(path)}; ${hint ? `did you mean \`${hint}\`? ` : ''}use one of: ${allowed.join(', ')}` };
        break;
      }
      case 'type':
        problem = { path, at: 'value', message: `${where(path, true)} must be ${describeTypes(e.params.type as string | string[])}, not ${typeOf(value)}` };
        break;
      case 'pattern':
        if (key !== undefined) {
          problem = { path, message: `list name \`${key}\` is not valid; list names are lower-case letters, digits and dashes` };
          break;
        }
        problem = { path, at: 'value', message: `\`${String(value)}\` is not valid ${where(path)}; ${patternHint(String(e.params.pattern), path, e, String(value))}` };
        break;
      case 'minProperties':
      case 'minItems':
        problem = { path, message: `${where(path, true)} is empty; ${path[path.length - 1] === 'do' ? 'give the rule at least one action' : 'give it at least one entry'}` };
        break;
      case 'maxProperties':
        problem = { path, message: `${where(path, true)} must have exactly one key (one action per list entry); split it into several entries` };
        break;
      default:
        problem = { path, message: `${where(path, true)} ${e.message ?? 'is invalid'}` };
    }
    const id = `${problem.path.join('/')}|${e.keyword === 'additionalProperties' ? problem.message : ''}`;
    if (!out.has(id)) out.set(id, problem);
  }
  // A type error on a node whose children have errors too is noise; keep the deeper ones.
  const all = [...out.values()];
  return all.filter((p) => !all.some((q) => q !== p && q.path.length > p.path.length && p.path.every((k, i) => q.path[i] === k) && p.message.includes(' must be ')));
}

function patternHint(pattern: string, path: PolicyPath, e: ErrorObject, value: string): string {
  // A pattern that is a choice of words (`malformed`'s kinds) gets the same help as an enum.
  const words = /^\^\(([a-z0-9|-]+)\)\$$/.exec(pattern)?.[1]?.split('|');
  if (words) {
    const hint = closest(value, words);
    return `${hint ? `did you mean \`${hint}\`? ` : ''}use one of: ${words.join(', ')}`;
  }
  if (pattern.includes('kKmMgG')) return 'it is not a size; write bytes or 10KB / 5MB / 1GB (1 KB = 1024 bytes)';
  if (pattern.includes('ms|s')) return 'it is not a duration; write 100ms, 30s, 10m, 1h or 1d';
  if (path[path.length - 1] === 'id') return 'rule ids are lower-case letters, digits and dashes';
  if (path[0] === 'lists') return 'list names are lower-case letters, digits and dashes';
  return (e.parentSchema as { description?: string } | undefined)?.description ?? e.message ?? 'see the schema';
}

function toPath(pointer: string): PolicyPath {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map((s) => {
    const k = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^\d+$/.test(k) ? Number(k) : k;
  });
}

function valueAt(root: unknown, path: PolicyPath): unknown {
  let v: unknown = root;
  for (const k of path) v = (v as Record<string | number, unknown> | undefined)?.[k];
  return v;
}

function where(path: PolicyPath, subject = false): string {
  if (path.length === 0) return subject ? 'the policy' : 'at the top level';
  const last = path[path.length - 1];
  const name = typeof last === 'number' ? `entry ${last + 1} of \`${String(path[path.length - 2])}\`` : `\`${last}\``;
  return subject ? name : `in ${name}`;
}

function describeTypes(t: string | string[]): string {
  const list = (Array.isArray(t) ? t : [t]).map((x) => (x === 'array' ? 'a list' : x === 'object' ? 'a map' : x === 'integer' ? 'a whole number' : `a ${x}`));
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : list[0]!;
}

function typeOf(v: unknown): string {
  if (v === null) return 'empty';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} \`${String(v)}\``;
}

/** The allowed word closest to `word` when it is close enough to be a typo. */
export function closest(word: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const a of allowed) {
    const d = distance(word.toLowerCase(), a.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [a, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * Edits from `a` to `b`, a swap of two neighbours counting as one (optimal string alignment):
 * `rctp` is one edit from `rcpt`, not two, so it beats `smtp`.
 */
function distance(a: string, b: string): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current.push(d);
    }
    [before, previous] = [previous, current];
  }
  return previous[b.length]!;
}
