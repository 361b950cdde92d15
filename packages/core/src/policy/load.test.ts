import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy, loadPolicyFile } from './load';
import { PolicyError, type PolicyProblem } from './policy-error';

/** The problems loading `text` throws (fails the test when it loads). */
function problemsOf(text: string): PolicyProblem[] {
  try {
    loadPolicy(text, 'policy.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err.problems;
    throw err;
  }
  throw new Error('policy loaded without problems');
}

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('loadPolicy', () => {
  it('loads a minimal policy with the defaults', () => {
    const p = loadPolicy('version: 1\n', 'p.yaml');
    expect(p.stages.connect.default.verdict).toBe('accept');
    expect(p.stages.rcpt.default).toEqual({ verdict: 'reject', reply: { code: 550, status: '5.7.1', text: 'Relaying denied' } });
    expect(p.file).toBe('p.yaml');
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.stages.data.rules)).toBe(true);
  });

  it('reads JSON as well', () => {
    const p = loadPolicy(JSON.stringify({ version: 1, name: 'j', rcpt: { rules: [{ id: 'all', do: ['accept'] }] } }), 'p.json');
    expect(p.name).toBe('j');
    expect(p.stages.rcpt.rules.map((r) => r.id)).toEqual(['all']);
  });

  it('converts smtp sizes (1024-based) and durations', () => {
    const p = loadPolicy(lines('version: 1', 'smtp: { maxSize: 10MB, idleTimeout: 600s, greetPause: 100ms, hideKeywords: [dsn, Auth], maxRecipients: 50 }'), 'p.yaml');
    expect(p.smtp).toEqual({ hideKeywords: ['DSN', 'AUTH'], maxRecipients: 50, maxSize: 10 * 1024 * 1024, idleTimeout: 600_000, greetPause: 100 });
  });

  it('names the file, line, column, rule and the stage to move to', () => {
    const problems = problemsOf(lines('version: 1', 'mail:', '  rules:', '    - id: x', '      when: { part: { filename: "*.exe" } }', '      do: [ reject ]'));
    expect(problems).toEqual([
      expect.objectContaining({ file: 'policy.yaml', line: 5, col: 15, rule: 'x', severity: 'error', message: expect.stringMatching(/`part` is not known at stage `mail`.*move rule `x` to `data`/) }),
    ]);
    expect(new PolicyError(problems).message).toMatch(/^policy\.yaml:5:15: rule `x`: `part` is not known/);
  });

  it('suggests the only stage greylisting is known at', () => {
    const [p] = problemsOf(lines('version: 1', 'data:', '  rules:', '    - id: g', '      when: { greylist: pending }', '      do: [ tempfail ]'));
    expect(p!.message).toMatch(/only at `rcpt`.*move rule `g` to `rcpt`/);
  });

  it('lists every problem at once, schema and compile alike, with "did you mean"', () => {
    const problems = problemsOf(
      lines(
        'version: 1',
        'data:',
        '  rules:',
        '    - id: y',
        '      when: { prat: { filename: "*.exe" } }',
        '      do: [ strp ]',
        '    - id: w',
        '      when: { sender: "@nolist" }',
        '      do: [ { reject: { code: 250 } } ]',
      ),
    );
    expect(problems.map((p) => [p.line, p.col, p.rule])).toEqual([[5, 15, 'y'], [6, 13, 'y'], [8, 15, 'w'], [9, 25, 'w']]);
    expect(problems[0]!.message).toMatch(/`prat` is not known.*did you mean `part`/);
    expect(problems[1]!.message).toMatch(/did you mean `strip`/);
    expect(problems[2]!.message).toMatch(/list `@nolist` is not defined/);
    expect(problems[3]!.message).toMatch(/`reject` cannot answer 250/);
  });

  it('reports an unknown template field with the schema problems of an action beside it (trial e4.yaml)', () => {
    const problems = problemsOf(
      lines(
        'version: 1',
        'data:',
        '  rules:',
        '    - id: r1',
        '      when: { part: { filename: "*.exe" } }',
        '      do:',
        '        - { strip: { notice: "bad {filname} {sender}" } }',
        '        - { subject: { prefx: "[x]" } }',
        '    - id: r2',
        '      when: { header: { nme: X-Mailer }, sender: "@nolist" }',
        '      do: [ { log: "{sendr}" } ]',
      ),
    );
    expect(problems.map((p) => `${p.line}:${p.col}: ${p.message}`)).toEqual([
      expect.stringMatching(/^4:7: no rule looks at `malformed`/),
      expect.stringMatching(/^7:22: unknown template field \{filname\}; known: /),
      '8:13: `subject` needs `prefix`',
      '8:24: `prefx` is not known in `subject`; did you mean `prefix`?',
      expect.stringMatching(/^10:15: `header` needs `name`/),
      expect.stringMatching(/^10:25: `nme` is not known in `header`; did you mean `name`\?/),
      expect.stringMatching(/^10:42: list `@nolist` is not defined/),
      expect.stringMatching(/^11:15: unknown template field \{sendr\}/),
    ]);
  });

  it('reports duplicate rule ids, bad rewrite templates, unknown template fields and bad sizes', () => {
    const problems = problemsOf(
      lines(
        'version: 1',
        'data:',
        '  rules:',
        '    - id: a',
        '      when: { size: { gt: 5 parsecs } }',
        '      do: [ { rewrite: { header: From, match: "*@x", to: "&3@y" } } ]',
        '    - id: a',
        '      do: [ { log: "{subject}" } ]',
      ),
    );
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/`5 parsecs` is not valid in `gt`; it is not a size/);
    expect(messages).toMatch(/uses &3 but "\*@x" has only 1 wildcard/);
    expect(messages).toMatch(/rule id `a` is already used/);
    expect(messages).toMatch(/unknown template field \{subject\}/);
  });

  it('refuses a header name written with its colon (or a space), which would never match, in headers.add too', () => {
    const problems = problemsOf(lines(
      'version: 1', 'data:', '  rules:',
      '    - id: r', '      when: { header: { name: "From:" } }', '      do: [ reject ]',
      '    - id: k', '      do: [ { headers: { keep: [Subject, "X Foo"] } } ]',
      '    - id: w', '      when: { header: { name: { not: [re:^x-, "Cc:"] } } }', '      do: [ { rewrite: { header: "To:", match: "*", to: "&" } } ]',
      '    - id: a', '      do: [ { headers: { add: { "X-Tag:": "1", "X-Ünï": "2" } } } ]',
    ));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, '"From:" is not a header field name (no colon, space or control character in one): write From'],
      [8, '"X Foo" is not a header field name (no colon, space or control character in one); a field name is printable ASCII without them'],
      [10, '"Cc:" is not a header field name (no colon, space or control character in one): write Cc'],
      [11, '"To:" is not a header field name (no colon, space or control character in one): write To'],
      [13, '"X-Tag:" is not a header field name (no colon, space or control character in one): write X-Tag'],
      [13, '"X-Ünï" is not a valid header field name (printable ASCII without spaces or colons)'],
    ]);
  });

  it('refuses headers.add of a field that describes the MIME structure', () => {
    const problems = problemsOf(lines('version: 1', 'data:', '  rules:', '    - id: r', '      do: [ { headers: { add: { X-Ok: "1", Content-Type: "text/plain", MIME-Version: "1.0" } } } ]'));
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [5, '"Content-Type" describes the message\'s MIME structure and cannot be added; add an X- field instead'],
      [5, '"MIME-Version" describes the message\'s MIME structure and cannot be added; add an X- field instead'],
    ]);
  });

  it('says what to write when `&` has no wildcard to stand for', () => {
    const problems = problemsOf(lines('version: 1', 'data:', '  rules:', '    - id: r', '      do: [ { rewrite: { header: From, match: "x@x", to: "a&b" } } ]'));
    expect(problems.map((p) => [p.line, p.col, p.message])).toEqual([
      [5, 54, '`a&b` uses & but "x@x" has no wildcard; add a wildcard to `match` or write `\\&` for a literal ampersand'],
    ]);
  });

  it('refuses strip without a part condition, and actions at stages that cannot do them', () => {
    const problems = problemsOf(
      lines(
        'version: 1',
        'mail:',
        '  rules:',
        '    - id: early',
        '      do: [ { subject: { prefix: "[X] " } }, quarantine ]',
        'data:',
        '  rules:',
        '    - id: s',
        '      when: { not: { part: { type: text/plain } } }',
        '      do: [ strip ]',
      ),
    );
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toMatch(/`subject` cannot act at stage `mail`/);
    expect(messages).toMatch(/`quarantine` decides what happens to a message/);
    expect(messages).toMatch(/`strip` removes the parts the rule's `part` condition matched/);
  });

  it('reports YAML syntax errors with their position', () => {
    const [p] = problemsOf('version: 1\ndata: [ unclosed\n');
    expect(p!.line).toBeGreaterThan(1);
    expect(p!.message).toMatch(/the \[ here is never closed/);
  });

  it('refuses a missing or wrong version', () => {
    expect(problemsOf('name: x\n')[0]!.message).toMatch(/needs `version`/);
    expect(problemsOf('version: 2\n')[0]!.message).toMatch(/`2` is not allowed in `version`/);
  });

  it('warns about unreachable rules, unused lists and backtracking regexes', () => {
    const p = loadPolicy(
      lines(
        'version: 1',
        'lists:',
        '  unused: [a]',
        'rcpt:',
        '  rules:',
        '    - id: all',
        '      do: [ accept ]',
        '    - id: never',
        '      when: { recipient: "re:^(a+)+@x$" }',
        '      do: [ reject ]',
      ),
      'policy.yaml',
    );
    expect(p.warnings.map((w) => [w.line, w.severity, w.rule])).toEqual([[3, 'warning', undefined], [8, 'warning', 'never'], [9, 'warning', 'never']]);
    expect(p.warnings.map((w) => w.message).join('\n')).toMatch(/unused.*not used[\s\S]*can never run[\s\S]*backtrack/);
    // The unreachable rule's facts are never gathered.
    expect(p.stages.rcpt.needs).toEqual([]);
  });

  it('warns of an empty list in use, which matches nothing', () => {
    const p = loadPolicy(lines('version: 1', 'lists:', '  blocked: []', 'data:', '  rules:', '    - id: b', '      when: { part: { filename: "@blocked" } }', '      do: [ { log: "blocked" } ]'), 'policy.yaml');
    expect(p.warnings.map((w) => [w.line, w.col, w.message])).toEqual([[3, 3, 'list `blocked` is empty, so "@blocked" matches nothing; fill it in, or remove the conditions that use it']]);
  });

  it('warns of attachments stripped with no rule on malformed MIME, and not once there is one', () => {
    const strips = ['data:', '  rules:', '    - id: exe', '      when: { part: { filename: "*.exe" } }', '      do: [ strip ]'];
    const p = loadPolicy(lines('version: 1', ...strips), 'policy.yaml');
    expect(p.warnings.map((w) => [w.line, w.rule, w.message])).toEqual([[4, 'exe', expect.stringMatching(/^no rule looks at `malformed`: .* add a last rule such as `when: \{ malformed: true \}`/)]]);
    const held = loadPolicy(lines('version: 1', ...strips, '    - id: odd', '      when: { not: { malformed: [bare-cr] } }', '      do: [ accept ]'), 'policy.yaml');
    expect(held.warnings).toEqual([]);
  });

  it('warns of when: {}, which holds always', () => {
    const p = loadPolicy(lines('version: 1', 'rcpt:', '  rules:', '    - id: r', '      when: {}', '      do: [ accept ]'), 'policy.yaml');
    expect(p.warnings.map((w) => [w.line, w.rule, w.message])).toEqual([[5, 'r', '`when: {}` has no condition, so the rule always applies; leave `when` out to say so, or add a condition']]);
  });

  it('warns of a sender rewritten to nothing, the null sender', () => {
    const p = loadPolicy(lines('version: 1', 'mail:', '  rules:', '    - id: r', '      do: [ { rewrite: { sender: { match: "*@x.example", to: "" } } } ]'), 'policy.yaml');
    expect(p.warnings.map((w) => [w.line, w.rule, w.message])).toEqual([[5, 'r', expect.stringMatching(/^an empty `to` makes the sender the null sender <>/)]]);
  });

  it('checks list names, lists inside lists, and @domain mistakes', () => {
    const problems = problemsOf(
      lines('version: 1', 'lists:', '  Bad_Name: [a]', '  nested: ["@other"]', '  other: [y]', 'mail: { rules: [ { id: a, when: { sender: ["@nested", "@acme.example", "@Bad_Name"] }, do: [reject] } ] }'),
    ).filter((p) => p.severity === 'error');
    expect(problems.map((p) => [p.line, p.col])).toEqual([[3, 3], [4, 12], [6, 55]]);
    expect(problems[0]!.message).toMatch(/list name `Bad_Name` is not valid/);
    expect(problems[1]!.message).toMatch(/lists hold patterns, not other lists/);
    expect(problems[2]!.message).toMatch(/`@acme\.example` is not defined.*write "\*@acme\.example"/);
  });

  it('explains that dotted condition names are sub-keys', () => {
    expect(problemsOf(lines('version: 1', 'mail: { rules: [ { id: a, when: { client.tls: false }, do: [reject] } ] }'))[0]!.message).toBe('`client.tls` is written as a sub-key: `client: { tls: ... }`');
  });

  it('refuses `not` mixed with sub-keys, and empty action lists', () => {
    expect(problemsOf(lines('version: 1', 'mail: { rules: [ { id: a, when: { sender: { not: "*@x", domain: y.example } }, do: [reject] } ] }'))[0]!.message).toMatch(/mixes `not` with sub-keys/);
    expect(problemsOf(lines('version: 1', 'mail: { rules: [ { id: a, do: [] } ] }'))[0]!.message).toMatch(/`do` is empty; give the rule at least one action/);
  });

  it('refuses an empty map under `not`, `any` and `all` (never or always holds), at its line; `when: {}` is "always"', () => {
    const [not] = problemsOf(lines('version: 1', 'mail:', '  rules:', '    - id: a', '      when: { not: {} }', '      do: [reject]'));
    expect(not).toMatchObject({ line: 5, message: expect.stringMatching(/^`not: \{\}` negates no condition, so it never holds/) });
    const any = problemsOf(lines('version: 1', 'mail: { rules: [ { id: a, when: { any: [{ sender: "*@x.example" }, {}] }, do: [reject] } ] }'));
    expect(any.map((p) => p.message)).toEqual(['entry 2 of `any` is an empty map, which always holds; write its conditions or remove it']);
    expect(problemsOf(lines('version: 1', 'mail: { rules: [ { id: a, when: { all: [{}] }, do: [reject] } ] }'))).toHaveLength(1);
    expect(() => loadPolicy(lines('version: 1', 'mail: { rules: [ { id: a, when: {}, do: [reject] } ] }'), 'policy.yaml')).not.toThrow();
  });

  it('reads files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-policy-'));
    try {
      writeFileSync(join(dir, 'p.yaml'), 'version: 1\nname: from-file\n');
      expect(loadPolicyFile(join(dir, 'p.yaml')).name).toBe('from-file');
      writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nbogus: 1\n');
      expect(() => loadPolicyFile(join(dir, 'bad.yaml'))).toThrow(/bad\.yaml:2:1: `bogus` is not known/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
