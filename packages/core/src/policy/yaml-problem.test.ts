import { loadPolicy } from './load';
import { PolicyError } from './policy-error';

/** "line:col: message" of every problem loading `lines` as policy.yaml. */
function problems(...lines: string[]): string[] {
  try {
    loadPolicy(`${lines.join('\n')}\n`, 'policy.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
    throw err;
  }
  throw new Error('policy loaded without problems');
}

const RULE = ['version: 1', 'data:', '  rules:', '    - id: strip-exe'];

describe('yamlProblem: the first YAML syntax error, where its token is, and what to change', () => {
  it('a tab used as indentation: one problem, not the cascade after it', () => {
    expect(problems('version: 1', 'data:', '  rules:', '\t- id: s', '      do: [ strip ]')).toEqual([
      '4:1: YAML indentation must use spaces, not tabs; replace the tab with spaces',
    ]);
  });

  it('a backslash escape YAML does not know in a double-quoted regex: use single quotes', () => {
    expect(problems('version: 1', 'mail:', '  rules:', '    - id: r', '      when: { sender: "re:^bulk\\d+@" }', '      do: [ reject ]')).toEqual([
      '5:32: Invalid escape sequence \\d; in a "double-quoted" string a backslash starts an escape; put the text in \'single quotes\' (\'re:^a\\.b\') or write \\\\ for one backslash',
    ]);
  });

  it('an alias whose anchor is missing or comes later: where the alias is', () => {
    expect(problems('version: 1', 'lists:', '  a: *late', '  b: &late [x.example]')).toEqual([
      '3:6: `*late` refers to no anchor: define `&late` before it (an anchor counts only above its aliases), or fix the name',
    ]);
  });

  it('a key indented less than the one above it', () => {
    expect(problems(...RULE, '      when: { part: { filename: "*.exe" } }', '     do: [ strip ]')).toEqual([
      '6:6: Sequence item without - indicator; `do` starts at column 6, `when` on line 5 at column 7: keys of one mapping must start at the same column (indent `do` to column 7 to put it beside `when`)',
    ]);
  });

  it('a key indented more than the one above it', () => {
    expect(problems(...RULE, '      when: { part: { filename: "*.exe" } }', '        do: [ strip ]')).toEqual([
      expect.stringMatching(/^6:9: All mapping items must start at the same column; `do` starts at column 9, `when` on line 5 at column 7/),
    ]);
  });

  it('keys of a list item lined up with its dash: only the first of them', () => {
    expect(problems(...RULE, '    when: { part: { filename: "*.exe" } }', '    do: [ strip ]')).toEqual([
      expect.stringMatching(/^5:5: .*`when` starts at column 5, `id` on line 4 at column 7: .*indent `when` to column 7/),
    ]);
  });

  it('list items that do not line up', () => {
    expect(problems('version: 1', 'data:', '  rules:', '  - id: a', '    do: [strip]', '   - id: b')).toEqual([
      expect.stringMatching(/^6:4: All sequence items must start at the same column; this `-` starts at column 4, the item on line 4 at column 3/),
    ]);
  });

  it('an unclosed [, { or quote is shown where it opens', () => {
    expect(problems('version: 1', 'data: [ unclosed')).toEqual([expect.stringMatching(/^2:7: .*the \[ here is never closed: add \] where it ends$/)]);
    expect(problems(...RULE, '      when: { part: { filename: "*.exe" }', '      do: [ strip ]')).toEqual([expect.stringMatching(/^5:13: .*the \{ here is never closed: add \}/)]);
    expect(problems('version: 1', 'name: "it\'s # no comment', 'description: x')).toEqual([expect.stringMatching(/^2:7: Missing closing "quote; the string that starts with " here is never closed/)]);
  });

  it('a duplicate key, a key without a colon, a value with ": " in it', () => {
    expect(problems('version: 1', 'name: a', 'name: b')).toEqual(['3:1: Map keys must be unique; `name` is given twice in the same mapping; keep one']);
    expect(problems(...RULE, '      do [ strip ]')).toEqual([expect.stringMatching(/^5:7: .*a key needs a colon and a space after it/)]);
    expect(problems('version: 1', 'name: a: b')).toEqual([expect.stringMatching(/^2:7: .*must be quoted/)]);
  });

  it('says JSON for a .json policy', () => {
    try {
      loadPolicy('{ "version": 1 } }', 'p.json');
    } catch (err) {
      expect((err as PolicyError).problems).toHaveLength(1);
      expect((err as PolicyError).problems[0]!.message).toMatch(/^Unexpected flow-map-end token.*; fix the JSON syntax$/);
      return;
    }
    throw new Error('loaded');
  });
});
