import { STAGES, type Stage } from '../engine/stage';
import type { ConditionTrace } from '../engine/decision';
import type { MimePart } from '../message/model';
import type { CompileScope, PolicyPath } from './compile-scope';
import type { CompiledCondition, ConditionOutcome } from './compiled-policy';
import { FactUnavailable } from '../engine/fact-unavailable';
import { CONDITIONS } from './conditions/registry';
import type { RawWhen } from './raw-policy';

/**
 * Compiles a `when` map (all of its conditions must hold), with `any`, `all` and `not`.
 * Evaluation short-circuits in the order written. A fact that is missing only counts when it could
 * change the outcome: `all` with another condition false, or `any` with another branch true, is
 * decided without it; otherwise the rule's onError applies.
 */
export function compileWhen(when: RawWhen, scope: CompileScope, path: PolicyPath, prefix = ''): CompiledCondition {
  const parts: CompiledCondition[] = [];
  // `when: {}` is "always", as no `when` is; an empty map inside `not`, `any` or `all` is a slip
  // (`not: {}` never holds, `any: [{}]` always does), whatever was meant.
  if (prefix !== '' && !Object.values(when).some((v) => v !== undefined)) {
    const inNot = path[path.length - 1] === 'not';
    scope.error(path, inNot
      ? '`not: {}` negates no condition, so it never holds; write the condition to negate inside it'
      : `entry ${Number(path[path.length - 1]) + 1} of \`${String(path[path.length - 2])}\` is an empty map, which always holds; write its conditions or remove it`);
  }
  for (const [key, value] of Object.entries(when)) {
    if (value === undefined) continue;
    const name = `${prefix}${key}`;
    const at = [...path, key];
    if (key === 'any' || key === 'all') {
      const children = (value as RawWhen[]).map((w, i) => compileWhen(w, scope, [...at, i], `${name}[${i}].`));
      parts.push(key === 'any' ? anyCondition(name, children) : allCondition(name, children));
    } else if (key === 'not') {
      parts.push(notCondition(name, compileWhen(value as RawWhen, scope, at, `${name}.`)));
    } else {
      const spec = CONDITIONS[key];
      if (!spec) continue; // the schema reported it
      if (!knownAt(scope.stage, spec.since, spec.only)) {
        const where = spec.only ? `only at \`${spec.only}\`` : `from \`${spec.since}\` on`;
        scope.error(at, `\`${key}\` is not known at stage \`${scope.stage}\` (it is known ${where}); move rule \`${scope.rule}\` to \`${spec.only ?? spec.since}\``);
        continue;
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'not' in value && Object.keys(value).length > 1) {
        scope.error(at, `\`${key}\` mixes \`not\` with sub-keys; write \`not: { ${key}: ... }\` around the whole condition instead`);
        continue;
      }
      const compiled = scope.despiteSchema(at, () => spec.compile(value, scope, at, name));
      if (compiled) parts.push(compiled);
    }
  }
  return parts.length === 1 && prefix === '' ? parts[0]! : allCondition(prefix.replace(/\.$/, '') || 'when', parts);
}

function knownAt(stage: Stage, since: Stage, only: Stage | undefined): boolean {
  if (only !== undefined) return stage === only;
  return STAGES.indexOf(stage) >= STAGES.indexOf(since);
}

function allCondition(path: string, children: CompiledCondition[]): CompiledCondition {
  return {
    path,
    needs: children.flatMap((c) => c.needs),
    test(ctx) {
      const trace: ConditionTrace[] = [];
      const parts: MimePart[] = [];
      let missing: FactUnavailable | undefined;
      for (const child of children) {
        let out: ConditionOutcome;
        try {
          out = child.test(ctx);
        } catch (err) {
          // A missing fact only matters if the rest could still hold: a later false decides anyway.
          if (!(err instanceof FactUnavailable)) throw err;
          missing ??= err;
          continue;
        }
        trace.push(...out.trace);
        if (!out.result) return { result: false, trace: out.trace, parts: [] };
        parts.push(...out.parts);
      }
      if (missing) throw missing;
      return { result: true, trace, parts: unique(parts) };
    },
  };
}

function anyCondition(path: string, children: CompiledCondition[]): CompiledCondition {
  return {
    path,
    needs: children.flatMap((c) => c.needs),
    test(ctx) {
      const trace: ConditionTrace[] = [];
      const held: ConditionTrace[] = [];
      const parts: MimePart[] = [];
      let holds = false;
      let missing: FactUnavailable | undefined;
      for (const child of children) {
        let out: ConditionOutcome;
        try {
          out = child.test(ctx);
        } catch (err) {
          // A missing fact only matters if no other branch holds.
          if (!(err instanceof FactUnavailable)) throw err;
          missing ??= err;
          continue;
        }
        trace.push(...out.trace);
        // Every branch is tried, not only up to the first that holds: a strip removes the parts
        // of each branch that holds (`any: [{part: {doubleExtension: true}}, {part: {filename:
        // "*.bat"}}]` strips the .bat of a message that also has an invoice.pdf.exe).
        if (!out.result) continue;
        holds = true;
        held.push(...out.trace);
        parts.push(...out.parts);
      }
      // A fact that is missing could have added parts to strip: when the branches that hold name
      // some, the rule's onError decides (a virus branch unanswered is never "clean").
      if (holds && !(missing && parts.length > 0)) return { result: true, trace: held, parts: unique(parts) };
      if (missing) throw missing;
      return { result: false, trace, parts: [] };
    },
  };
}

function notCondition(path: string, child: CompiledCondition): CompiledCondition {
  return {
    path,
    needs: child.needs,
    test(ctx) {
      const out = child.test(ctx);
      const trace: ConditionTrace[] = out.trace.map((t) => ({ ...t, condition: t.condition }));
      trace.push({ condition: path, value: out.result, pattern: 'not', result: !out.result });
      return { result: !out.result, trace, parts: [] };
    },
  };
}

function unique(parts: MimePart[]): MimePart[] {
  return [...new Set(parts)];
}
