import { isFactError, type VirusFact } from '../../facts/facts';
import { PART_FIELDS, type TemplateField, type TextTemplate } from '../../match/text-template';
import type { MimePart } from '../../message/model';
import type { ActionScope, EvalContext } from '../compiled-policy';

/** The values `{field}` templates are filled with for this evaluation (part fields when a part is given). */
export function templateValues(ctx: EvalContext, rule: string, part?: MimePart): Partial<Record<TemplateField, string>> {
  // A message spamd was not given (over its size limit) has no score: its fields are empty, not "0 No".
  const spam = ctx.facts.spam && !isFactError(ctx.facts.spam) && ctx.facts.spam.notScanned === undefined ? ctx.facts.spam : undefined;
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
    virus: virus ? virusNames(virus, part).join(', ') : '',
    size: String(part ? part.size : ctx.input.message?.size ?? ''),
  };
  if (part) {
    values.type = part.type;
    values.filename = noticeName(ctx, part);
  }
  return values;
}

/**
 * The viruses a text names: for one part (a notice), those found in it, in what it holds, or in
 * the attachment that holds it, when the parts were scanned one by one; else the message's.
 */
function virusNames(virus: VirusFact, part: MimePart | undefined): string[] {
  if (!part || !virus.parts) return virus.names;
  const related = Object.entries(virus.parts).filter(([path]) => path === part.path || path.startsWith(`${part.path}/`) || part.path.startsWith(`${path}/`));
  return [...new Set(related.flatMap(([, names]) => names))];
}

/**
 * The part's name as a notice gives it. A member of an archive or attached message is named
 * with the attachment that holds it and every named holder between (`stuff.zip/evil.exe`,
 * `stuff.zip/docs/evil.exe`, `fwd.eml/in.zip/evil.exe`): the whole attachment is what the
 * recipient loses. A holder without a name (an unnamed attached message, a multipart) is left out.
 */
function noticeName(ctx: EvalContext, part: MimePart): string {
  const parts = ctx.input.message?.parts ?? [];
  const chain = parts.filter((p) => p.path === part.carrier || (p.path.startsWith(`${part.carrier}/`) && part.path.startsWith(`${p.path}/`)));
  chain.sort((a, b) => a.path.length - b.path.length);
  if (chain[chain.length - 1] !== part) chain.push(part);
  const names: string[] = [];
  let above: string | undefined;
  for (const p of chain) {
    // Below its holder, a part's place is its name in an archive (`docs/tool.scr`, folders
    // included) or a MIME part number, which says nothing to a reader: then its own name.
    const place = above === undefined ? undefined : p.path.slice(above.length + 1);
    const name = place !== undefined && p.filenames.includes(place) ? place : p.filename;
    if (name) names.push(name);
    above = p.path;
  }
  return names.join('/');
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
