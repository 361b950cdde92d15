import type { FactNeed } from '../facts/facts';
import { compileTextTemplate, type TextTemplate } from '../match/text-template';
import type { RawRule } from './raw-policy';

/** Every string in a rule's actions: the texts its templates are written in. */
function texts(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) texts(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) texts(v, out);
  return out;
}

const isStrip = (a: RawRule['do'][number]): boolean => a === 'strip' || (typeof a === 'object' && a !== null && 'strip' in a);

/** A `strip` without a notice of its own, which writes the policy's. */
const stripsWithPolicyNotice = (rule: RawRule): boolean =>
  rule.do.some((a) => isStrip(a) && !(typeof a === 'object' && a !== null && 'strip' in a && a.strip?.notice !== undefined));

/**
 * The scans a rule's texts quote (`{spam.score}` in a header, `{virus}` in a notice): a rule that
 * fills them in needs them as its conditions' facts are needed, or they come out empty although
 * `eval` with stated facts fills them.
 */
export function templateNeeds(rule: RawRule, notice: TextTemplate): FactNeed[] {
  const sources = texts(rule.do);
  if (stripsWithPolicyNotice(rule)) sources.push(notice.source);
  const fields = new Set(sources.flatMap((t) => {
    const compiled = compileTextTemplate(t);
    return 'fields' in compiled ? compiled.fields : [];
  }));
  const needs: FactNeed[] = [];
  if ([...fields].some((f) => f.startsWith('spam.'))) needs.push({ kind: 'spam' });
  // A notice is written for each part it replaces: its `{virus}` is that part's, from the scan of parts.
  if (fields.has('virus')) needs.push({ kind: 'virus', perPart: rule.do.some(isStrip) });
  return needs;
}
