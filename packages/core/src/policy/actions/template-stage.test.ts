import { loadPolicy } from '../load';
import { PolicyError } from '../policy-error';

/** The messages loading a one-rule policy gives ([] when it loads). */
function problemsOf(stage: string, when: string, doYaml: string): string[] {
  try {
    loadPolicy(`version: 1\n${stage}:\n  rules:\n    - id: r\n${when ? `      when: ${when}\n` : ''}      do: ${doYaml}\n`, 'policy.yaml');
    return [];
  } catch (err) {
    if (err instanceof PolicyError) return err.problems.map((p) => p.message);
    throw err;
  }
}

describe('template fields that are always empty where they stand', () => {
  it('refuses a field the stage cannot know yet, naming the stage to move to', () => {
    expect(problemsOf('mail', '', '[ { log: "from {sender}: {filename} scored {spam.score}" } ]')).toEqual([
      '`{filename}` is always empty at stage `mail` (it is known from `data` on); move rule `r` to `data` or leave the field out',
      '`{spam.score}` is always empty at stage `mail` (it is known from `data` on); move rule `r` to `data` or leave the field out',
    ]);
    expect(problemsOf('connect', '', '[ { log: "{client} said {helo}" } ]')).toEqual([
      '`{helo}` is always empty at stage `connect` (it is known from `helo` on); move rule `r` to `helo` or leave the field out',
    ]);
  });

  it('refuses a part field in a rule without a part condition', () => {
    expect(problemsOf('data', '{ size: { gt: 1MB } }', '[ { headers: { add: { X-Big: "{filename}" } } } ]')).toEqual([
      '`{filename}` names a matched part, and rule `r` has no `part` condition, so it is always empty; add `when: { part: {...} }` or leave the field out',
    ]);
  });

  it('accepts each field where it has a value', () => {
    expect(problemsOf('rcpt', '', '[ { log: "{client} {helo} {sender} {recipient}" }, accept ]')).toEqual([]);
    expect(problemsOf('data', '{ part: { filename: "*.exe" } }', '[ strip, { log: "{filename} {type} {size} {spam.status} {virus}" } ]')).toEqual([]);
    expect(problemsOf('data', '', '[ { log: "{size} bytes" } ]')).toEqual([]);
  });
});
