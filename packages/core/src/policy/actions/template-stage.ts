import { STAGES, type Stage } from '../../engine/stage';
import { PART_FIELDS, type TemplateField, type TextTemplate } from '../../match/text-template';
import type { CompileScope, PolicyPath } from '../compile-scope';

/** The first stage at which each template field has a value; before it the field is filled with nothing. */
const FIELD_SINCE: Readonly<Partial<Record<TemplateField, Stage>>> = {
  helo: 'helo', sender: 'mail', recipient: 'rcpt',
  'spam.score': 'data', 'spam.symbols': 'data', 'spam.level': 'data', 'spam.threshold': 'data', 'spam.status': 'data',
  virus: 'data', type: 'data', filename: 'data', size: 'data',
};

/**
 * Reports the fields of a template that are always empty where it stands: a field the stage
 * cannot know yet (`{filename}` in a `mail` log), or a part's `{type}` / `{filename}` in a rule
 * without a `part` condition. Such a field would quietly print nothing in every log line.
 */
export function checkTemplateFields(template: TextTemplate, scope: CompileScope, path: PolicyPath, hasPart: boolean): void {
  for (const field of template.fields) {
    const since = FIELD_SINCE[field];
    if (since !== undefined && STAGES.indexOf(scope.stage) < STAGES.indexOf(since)) {
      scope.error(path, `\`{${field}}\` is always empty at stage \`${scope.stage}\` (it is known from \`${since}\` on); move rule \`${scope.rule}\` to \`${since}\` or leave the field out`);
    } else if (!hasPart && field !== 'size' && PART_FIELDS.includes(field)) {
      scope.error(path, `\`{${field}}\` names a matched part, and rule \`${scope.rule}\` has no \`part\` condition, so it is always empty; add \`when: { part: {...} }\` or leave the field out`);
    }
  }
}
