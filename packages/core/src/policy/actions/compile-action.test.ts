import { loadPolicy } from '../load';
import { loadProblems } from '../../../test/support/load-problems';

/** "line:col: message" of each problem loading a policy whose data rule `k` does `actions`. */
function problemsOf(actions: string, extra: string[] = []): string[] {
  const text = ['version: 1', ...extra, 'data:', '  rules:', '    - id: k', '      do:', ...actions.split('\n').map((a) => `        - ${a}`), ''].join('\n');
  return loadProblems(text);
}

describe('compileAction: every header-name and rewrite pattern is compiled at load', () => {
  it.each([
    ['headers.keep', '{ headers: { keep: [From, "[To"] } }', '6:37: bad pattern "[To": unclosed "["'],
    ['headers.remove', '{ headers: { remove: ["X-{a,b"] } }', '6:33: bad pattern "X-{a,b": unclosed "{"'],
    ['rewrite.header', '{ rewrite: { header: "X-[Bad", match: "*", to: "" } }', '6:24: bad pattern "X-[Bad": unclosed "["'],
    ['rewrite.header match', '{ rewrite: { header: From, match: "[*", to: "&" } }', '6:38: bad pattern "[*": unclosed "["'],
    ['masquerade.headers', '{ masquerade: { domain: acme.example, headers: [From, "Re{ply-To"] } }', '6:65: bad pattern "Re{ply-To": unclosed "{"'],
  ])('%s', (_field, action, problem) => {
    const [first, ...rest] = problemsOf(action);
    expect(rest).toEqual([]);
    expect(first).toContain(problem);
    expect(first).toMatch(/or write \\[[{] for a literal/);
  });

  it.each([
    ['a header rewrite without match', '{ rewrite: { header: From, to: "x" } }', '6:13: `rewrite` of header `From` needs `match`: `{ header: From, match: "*@old.example", to: "&@new.example" }` (`to: ""` removes the field)'],
    ['a header rewrite without to', '{ rewrite: { header: From, match: "*" } }', '6:13: `rewrite` of header `From` needs `to`'],
    ['a rewrite that names no header, sender or recipient', '{ rewrite: { match: "*@old.example", to: "&@new.example" } }', '6:13: `rewrite` needs what it rewrites: `header` (with `match` and `to`), `sender: { match, to }` or `recipient: { match, to }`'],
    ['a rewrite of both sender and recipient', '{ rewrite: { sender: { match: "*", to: "a@b.example" }, recipient: { match: "*", to: "c@d.example" } } }', '6:13: `rewrite` has `sender` and `recipient`: one per entry; give the other an entry of its own'],
    ['a header rewrite with a sender rewrite beside it', '{ rewrite: { header: From, match: "*", to: "x@y.example", sender: { match: "*", to: "a@b.example" } } }', '6:13: `rewrite` has `header` and `sender`: one per entry'],
    ['an envelope rewrite with a match beside it', '{ rewrite: { sender: { match: "*", to: "a@b.example" }, match: "x@y.example" } }', '6:13: `match` and `to` beside `sender` belong to a header rewrite; write them inside it: `sender: { match, to }`'],
    ['a masquerade domain that is a pattern', '{ masquerade: { domain: "*.acme.example" } }', '6:27: `*.acme.example` is not a domain name'],
    ['an empty subject prefix', '{ subject: { prefix: " " } }', '6:24: `prefix` is empty'],
  ])('refuses %s, saying what to write', (_case, action, problem) => {
    const problems = problemsOf(action);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(problem);
  });

  it('reports a bad name that comes from a list where the list has it', () => {
    expect(problemsOf('{ headers: { keep: ["@allowed"] } }', ['lists: { allowed: [From, "[To"] }'])).toEqual([
      expect.stringMatching(/^2:26: bad pattern "\[To"/),
    ]);
  });

  it('takes re: in header names and envelope rewrites, as everywhere a pattern goes, and reports a bad regex', () => {
    expect(problemsOf('{ headers: { remove: ["re:^X-(Mailer|Originating-IP)$"] } }')).toEqual([]);
    expect(problemsOf('{ rewrite: { header: "re:X-.*", match: "*", to: "" } }')).toEqual([]);
    expect(problemsOf('{ rewrite: { sender: { match: "re:(.*)@old[.]example", to: "&@new.example" } } }')).toEqual([]);
    expect(problemsOf('{ headers: { keep: ["re:(From"] } }')).toEqual([expect.stringMatching(/^6:31: bad pattern "re:\(From": Invalid regular expression/)]);
    expect(problemsOf('{ rewrite: { sender: { match: "re:(a)@b", to: "&2" } } }')).toEqual([expect.stringMatching(/uses &2 but "re:\(a\)@b" has only 1 group/)]);
  });

  it('compiles a header rewrite\'s re: match as the rewriter does: a bad regex and a missing group are load errors', () => {
    expect(problemsOf('{ rewrite: { header: Subject, match: "re:(te", to: "x" } }')).toEqual([expect.stringMatching(/^6:41: bad pattern "re:\(te": Invalid regular expression/)]);
    expect(problemsOf('{ rewrite: { header: Subject, match: "re:(a)b", to: "&2" } }')).toEqual([expect.stringMatching(/uses &2 but "re:\(a\)b" has only 1 group/)]);
    expect(problemsOf('{ rewrite: { header: Subject, match: "re:(a)(?:b)(c)", to: "&2&1" } }')).toEqual([]);
  });

  it('loads good patterns', () => {
    expect(problemsOf([
      '{ headers: { keep: [From, "Content-*", "X-{A,B}", "[RS]eply-To", "\\\\[x"], remove: ["X-Spam-*"] } }',
      '{ rewrite: { header: "X-Internal-*", match: "*", to: "" } }',
      '{ masquerade: { domain: acme.example, headers: [From, "Reply-*"] } }',
    ].join('\n'))).toEqual([]);
  });
});

describe('compileAction: header actions that would load and do harm or nothing', () => {
  it('refuses keep: [] (it strips From, To, Date, Subject and Message-ID), saying to list the fields or use remove', () => {
    expect(problemsOf('{ headers: { keep: [] } }')).toEqual([
      '6:24: `keep: []` keeps no field but MIME-Version and Content-*, and would remove From, To, Date, Subject and Message-ID from every message; list the fields to keep (`keep: [From, To, Cc, Subject, Date, Message-ID]`), or use `remove` to take out the ones you name',
    ]);
    expect(problemsOf('{ headers: { keep: ["@allowed"] } }', ['lists: { allowed: [] }'])).toEqual([
      expect.stringMatching(/^2:10: list `allowed` is empty/),
      expect.stringMatching(/^7:24: `keep` names only empty lists \(@allowed\), so it keeps no field/),
    ]);
    expect(problemsOf('{ headers: { keep: ["@allowed", Subject] } }', ['lists: { allowed: [] }'])).toEqual([]);
  });

  it('warns of remove: [] (it removes nothing) and of a field added empty', () => {
    const warnings = (action: string): string[] => loadPolicy(['version: 1', 'data:', '  rules:', '    - id: k', `      do: [ ${action} ]`, '    - id: odd', '      when: { malformed: true }', '      do: [ reject ]', ''].join('\n'), 'p.yaml').warnings.map((w) => `${w.line}:${w.col}: ${w.message}`);
    expect(warnings('{ headers: { remove: [] } }')).toEqual(['5:26: `remove: []` removes nothing; name the fields to remove, or leave `remove` out']);
    expect(warnings('{ headers: { add: { X-A: "", X-B: ok } } }')).toEqual([expect.stringMatching(/^5:\d+: adds an empty "X-A:" field to every message; give it a value, or leave it out$/)]);
    expect(warnings('{ headers: { remove: [X-Mailer], add: { X-B: ok } } }')).toEqual([]);
  });

  it('warns of a backtracking re: header name, as it does in conditions', () => {
    const text = ['version: 1', 'data:', '  rules:', '    - id: k', '      do: [ { headers: { remove: ["re:^(x-[a-z]+)+$"] } } ]', '    - id: odd', '      when: { malformed: true }', '      do: [ reject ]', ''].join('\n');
    expect(loadPolicy(text, 'p.yaml').warnings.map((w) => `${w.line}:${w.col}: ${w.message}`)).toEqual([expect.stringMatching(/^5:35: regex "re:\^\(x-\[a-z\]\+\)\+\$" has nested or overlapping quantifiers/)]);
  });

  it('refuses an empty header name in a rewrite, remove, keep and masquerade', () => {
    const empty = 'an empty header name matches no field; write the field\'s name (`X-Mailer`) or a pattern (`X-Internal-*`)';
    expect(problemsOf('{ rewrite: { header: "", match: "*", to: "" } }')).toEqual([`6:24: ${empty}`]);
    expect(problemsOf('{ headers: { remove: [""], keep: [From, ""] } }')).toEqual([`6:33: ${empty}`, `6:51: ${empty}`]);
    expect(problemsOf('{ masquerade: { domain: acme.example, headers: [""] } }')).toEqual([`6:59: ${empty}`]);
  });
});

describe('compileAction: stripHtml names elements a reader knows', () => {
  it('refuses a misspelt element with the one meant, at its place', () => {
    expect(problemsOf('{ stripHtml: [scrpt, iframe, ifrme] }')).toEqual([
      '6:25: `scrpt` is not an HTML element, so stripHtml would strip nothing by it; did you mean `script`?',
      '6:40: `ifrme` is not an HTML element, so stripHtml would strip nothing by it; did you mean `iframe`?',
    ]);
  });

  it('takes HTML, obsolete, SVG and custom element names in any case', () => {
    expect(problemsOf('{ stripHtml: [SCRIPT, applet, marquee, svg, foreignObject, x-widget, style, form] }')).toEqual([]);
  });
});
