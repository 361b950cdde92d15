import { isFactError } from '../../facts/facts';
import { PART_FIELDS, type TemplateField, type TextTemplate } from '../../match/text-template';
import type { MimePart } from '../../message/model';
import type { ActionScope, EvalContext } from '../compiled-policy';

/** The values `{field}` templates are filled with for this evaluation (part fields when a part is given). */
export function templateValues(ctx: EvalContext, rule: string, part?: MimePart): Partial<Record<TemplateField, string>> {
  const spam = ctx.facts.spam && !isFactError(ctx.facts.spam) ? ctx.facts.spam : undefined;
  const virus = ctx.facts.virus && !isFactError(ctx.facts.virus) ? ctx.facts.virus : undefined;
  const values: Partial<Record<TemplateField, string>> = {
    rule,
    sender: ctx.input.sender ?? '',
    recipient: ctx.input.recipient ?? ctx.input.recipients.join(', '),
    client: ctx.input.client.ip,
    helo: ctx.input.helo ?? '',
    'spam.score': spam ? String(spam.score) : '',
    'spam.symbols': spam?.symbols?.join(', ') ?? '',
    // SpamAssassin's conventions: one star per whole point, and a Yes/No status line.
    'spam.level': spam ? '*'.repeat(Math.max(0, Math.min(50, Math.floor(spam.score)))) : '',
    'spam.threshold': spam?.threshold !== undefined ? String(spam.threshold) : '',
    'spam.status': spam
      ? `${spam.score >= (spam.threshold ?? 5) ? 'Yes' : 'No'}, score=${spam.score} required=${spam.threshold ?? 5} tests=${(spam.symbols ?? []).join(',')}`
      : '',
    virus: virus ? virus.names.join(', ') : '',
    size: String(part ? part.size : ctx.input.message?.size ?? ''),
  };
  if (part) {
    values.type = part.type;
    values.filename = noticeName(ctx, part);
  }
  return values;
}

/**
 * The part's name as a notice gives it. A member of an archive or attached message is named
 * with the attachment that holds it (`stuff.zip/evil.exe`, `stuff.zip/docs/evil.exe`): the whole
 * attachment is what the recipient loses.
 */
function noticeName(ctx: EvalContext, part: MimePart): string {
  // An archive member by its name in the archive, folders included (`docs/tool.scr`, which a
  // `docs/*` pattern matched), not only the file's own name.
  const inside = part.inArchive ? part.filenames.filter((n) => part.path.endsWith(`/${n}`)).sort((a, b) => b.length - a.length)[0] : undefined;
  // A member of an archive in the archive: by its whole place under the attachment
  // (`nested.zip/inner/run.exe`), as the rewrite's change names it.
  const own = inside !== undefined && part.path.startsWith(`${part.carrier}/`) ? part.path.slice(part.carrier.length + 1) : inside ?? part.filename ?? '';
  if (part.carrier === part.path) return own;
  const carrier = ctx.input.message?.parts.find((p) => p.path === part.carrier)?.filename;
  if (!carrier) return own;
  return own ? `${carrier}/${own}` : carrier;
}

/** Fills a template once, or once per matched part when it uses part fields. */
export function fillPerPart(template: TextTemplate, scope: ActionScope): string[] {
  const perPart = template.fields.some((f) => PART_FIELDS.includes(f)) && scope.parts.length > 0;
  if (!perPart) return [template.fill(templateValues(scope.ctx, scope.rule))];
  return scope.parts.map((p) => template.fill(templateValues(scope.ctx, scope.rule, p)));
}

/** One text for every matched part (a header's value, a subject prefix): the distinct fills, joined. */
export function fillJoined(template: TextTemplate, scope: ActionScope): string {
  return [...new Set(fillPerPart(template, scope))].join(', ');
}
