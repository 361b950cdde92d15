import type { ConditionTrace } from '../../engine/decision';
import { FactUnavailable } from '../../engine/fact-unavailable';
import { describeBounds, withinBounds } from '../../match/bounds';
import type { MimePart } from '../../message/model';
import type { EvalContext } from '../compiled-policy';
import type { RawPartCondition } from '../raw-policy';
import { compileBounds } from './bounds-condition';
import type { ConditionSpec } from './condition-kit';
import { requireFact } from './fact-reader';

interface PartCheck {
  key: string;
  pattern: string;
  show(p: MimePart): unknown;
  test(p: MimePart, ctx: EvalContext): boolean;
}

const FLAGS = ['doubleExtension', 'inArchive', 'encrypted', 'nameMismatch'] as const;

/**
 * `part: { type, filename, size, doubleExtension, inArchive, encrypted, nameMismatch, virus }`:
 * holds when some part satisfies every sub-key; the matching parts are what the rule's `strip`
 * or `drop-part` removes. A part matches a `filename` pattern when any of its names does.
 */
export const part: ConditionSpec = {
  since: 'data',
  compile(value, scope, path, name) {
    const spec = value as RawPartCondition;
    const checks: PartCheck[] = [];
    if (spec.type !== undefined) {
      const m = scope.matcher(spec.type, 'name', [...path, 'type']);
      checks.push({ key: 'type', pattern: m.source, show: (p) => p.type, test: (p) => m.test(p.type) });
    }
    if (spec.filename !== undefined) {
      const m = scope.matcher(spec.filename, 'name', [...path, 'filename']);
      // Any name decides, also under `not`: a part with one allowed and one denied name is denied.
      checks.push({ key: 'filename', pattern: m.source, show: (p) => p.filenames, test: (p) => p.filenames.some((f) => m.test(f)) });
    }
    if (spec.size !== undefined) {
      const b = compileBounds(spec.size, scope, [...path, 'size'], true);
      checks.push({ key: 'size', pattern: describeBounds(b), show: (p) => p.size, test: (p) => withinBounds(p.size, b) });
    }
    for (const flag of FLAGS) {
      const want = spec[flag];
      if (want !== undefined) checks.push({ key: flag, pattern: String(want), show: (p) => p[flag], test: (p) => p[flag] === want });
    }
    if (spec.virus !== undefined) {
      const want = spec.virus;
      checks.push({
        key: 'virus',
        pattern: String(want),
        show: (p) => p.path,
        test: (p, ctx) => {
          const virus = requireFact('virus (per part)', ctx.facts.virus);
          if (!virus.parts) return requireFact<never>('virus (per part)', { error: 'the scanner did not report parts one by one' });
          const unplaced = unplacedVirus(virus.names, virus.parts);
          if (unplaced !== undefined) {
            return requireFact<never>('virus (per part)', {
              error: `the scanner found ${unplaced} in the message but in none of its parts scanned alone: which part holds it is not known`,
            });
          }
          return (virus.parts[p.path]?.length ?? 0) > 0 === want;
        },
      });
    }
    return {
      path: name,
      needs: spec.virus !== undefined ? [{ kind: 'virus', perPart: true }] : [],
      test(ctx) {
        const parts = (ctx.input.message?.parts ?? []).filter((p) => checks.every((c) => c.test(p, ctx)));
        const trace: ConditionTrace[] = [];
        if (parts.length > 0) {
          const first = parts[0]!;
          for (const c of checks) trace.push({ condition: `${name}.${c.key}`, value: c.show(first), pattern: c.pattern, result: true });
        } else {
          // Show what the parts were, per sub-key, so "why did it not match" has an answer.
          const all = ctx.input.message?.parts ?? [];
          for (const c of checks) trace.push({ condition: `${name}.${c.key}`, value: all.map((p) => c.show(p)), pattern: c.pattern, result: all.some((p) => testForTrace(c, p, ctx)) });
        }
        return { result: parts.length > 0, trace, parts };
      },
    };
  },
};

/** A check's result for the trace only: a fact the decision did not need must not fail the rule here. */
function testForTrace(check: PartCheck, p: MimePart, ctx: EvalContext): boolean {
  try {
    return check.test(p, ctx);
  } catch (err) {
    if (err instanceof FactUnavailable) return false;
    throw err;
  }
}

/**
 * A virus the whole-message scan found that no part's own scan names (EICAR uuencoded in a
 * text body, or in the MIME preamble: bytes no leaf part decodes to). Every part then reads as
 * clean, so the per-part answer is unknown, never "clean": a strip rule would deliver the virus.
 */
function unplacedVirus(names: readonly string[], parts: Record<string, string[]>): string | undefined {
  const placed = new Set(Object.values(parts).flat());
  return names.find((n) => !placed.has(n));
}
