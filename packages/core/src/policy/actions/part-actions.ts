import type { Effect, PartRef } from '../../engine/effect';
import type { TextTemplate } from '../../match/text-template';
import type { MimePart } from '../../message/model';
import type { EffectAction } from '../compiled-policy';
import { templateValues } from './template-values';

/** The part as effects describe it. */
export function partRef(p: MimePart): PartRef {
  const ref: PartRef = { path: p.path, carrier: p.carrier, type: p.type, size: p.size };
  if (p.filename !== undefined) ref.filename = p.filename;
  return ref;
}

/** `strip`: one stripPart per part the rule's `part` condition matched, notice filled in per part. */
export function stripAction(notice: TextTemplate): EffectAction {
  return {
    kind: 'effect',
    name: 'strip',
    build: (s) => s.parts.map((p): Effect => ({ type: 'stripPart', rule: s.rule, part: partRef(p), notice: notice.fill(templateValues(s.ctx, s.rule, p)) })),
  };
}

/** `drop-part`: the matched parts go, with no notice left behind. */
export function dropPartAction(): EffectAction {
  return { kind: 'effect', name: 'drop-part', build: (s) => s.parts.map((p): Effect => ({ type: 'dropPart', rule: s.rule, part: partRef(p) })) };
}
