import type { EffectType } from '../engine/effect';
import { closest } from '../policy/ajv-problems';
import type { CaseProblem } from './case-schema';

/** The fields each effect type has, so an expectation can only name fields that exist. */
const EFFECT_FIELDS: Readonly<Record<EffectType, readonly string[]>> = {
  removeHeaders: ['names'], keepHeaders: ['names'], addHeader: ['name', 'value'],
  rewriteHeader: ['header', 'match', 'to'], rewriteSender: ['from', 'to'], rewriteRecipient: ['from', 'to'],
  masquerade: ['domain', 'headers', 'messageId'], subjectPrefix: ['prefix'], stripPart: ['part', 'notice'],
  dropPart: ['part'], stripHtml: ['elements'], bcc: ['address'], route: ['via'], log: ['text'],
};

/**
 * An expected effect with a misspelt type (`addheader`) or field (`nmae`) would fail with
 * "expected X, got undefined"; it is reported as the typo it is, with what was meant.
 */
export function checkExpectedEffects(effects: unknown): CaseProblem[] {
  if (!Array.isArray(effects)) return [];
  const problems: CaseProblem[] = [];
  const types = Object.keys(EFFECT_FIELDS);
  effects.forEach((e: unknown, i) => {
    if (typeof e !== 'object' || e === null) return;
    const { type, ...rest } = e as Record<string, unknown>;
    const at = `/expect/effects/${i}`;
    if (typeof type !== 'string' || !types.includes(type)) {
      const meant = typeof type === 'string' ? closest(type, types) : undefined;
      problems.push({ pointer: `${at}/type`, message: `\`${String(type)}\` is not an effect type; ${meant ? `did you mean \`${meant}\`? ` : ''}use one of: ${types.join(', ')}` });
      return;
    }
    const fields = ['rule', ...EFFECT_FIELDS[type as EffectType]];
    problems.push(...unknownKeys(rest, fields, at, `the \`${type}\` effect`));
    const part = rest['part'];
    if (typeof part === 'object' && part !== null) problems.push(...unknownKeys(part as object, PART_FIELDS, `${at}/part`, 'a part'));
  });
  return problems;
}

const PART_FIELDS = ['path', 'carrier', 'type', 'filename', 'size'];

function unknownKeys(value: object, fields: readonly string[], at: string, what: string): CaseProblem[] {
  return Object.keys(value).filter((k) => !fields.includes(k)).map((key) => {
    const meant = closest(key, fields);
    return { pointer: `${at}/${key}`, message: `${what} has no \`${key}\`; ${meant ? `did you mean \`${meant}\`?` : `its fields are ${fields.join(', ')}`}` };
  });
}
