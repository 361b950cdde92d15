import { loadProblems } from '../../../test/support/load-problems';

/** "line:col: message" of each problem loading `lines` (a policy with a malformed rule, so no warning). */
function problemsOf(...lines: string[]): string[] {
  const text = ['version: 1', ...lines, '    - id: odd', '      when: { malformed: true }', '      do: [ reject ]', ''].join('\n');
  return loadProblems(text);
}

const rule = (...actions: string[]): string[] => ['data:', '  rules:', '    - id: a', '      do:', ...actions.map((a) => `        - ${a}`)];
const ONE_LINE = 'it goes into one header line (or SMTP command), where a line break would end it and start another (`"x\\r\\nBcc: ..."` adds a Bcc) and no other control character is text: write it on one line without control characters (tab is allowed)';

describe('policy text that goes into a header line holds no control character (trial r9)', () => {
  it('refuses a line break in a headers.add value, a rewrite target and a subject prefix, each where it is written', () => {
    expect(problemsOf(...rule(
      '{ headers: { add: { X-A: "line1\\r\\nBcc: evil@x.example" } } }',
      '{ rewrite: { header: X-B, match: "*", to: "&\\nX-Injected: 1" } }',
      '{ subject: { prefix: "[T]\\r\\n\\r\\nbody " } }',
    ))).toEqual([
      `6:31: the value of "X-A" holds a line break (\\r); ${ONE_LINE}`,
      `7:49: \`to\` holds a line break (\\n); ${ONE_LINE}`,
      `8:24: the \`prefix\` holds a line break (\\r); ${ONE_LINE}`,
    ]);
  });

  it('refuses a NUL, an escape and DEL, and a line break in an envelope rewrite', () => {
    expect(problemsOf(...rule(
      '{ headers: { add: { X-A: "a\\0b", X-B: "\\e[31m", X-C: "x\\x7f" } } }',
      '{ rewrite: { sender: { match: "*", to: "a@b.example\\r\\nRCPT TO:<x@y.example>" } } }',
    ))).toEqual([
      expect.stringMatching(/^6:31: the value of "X-A" holds the control character \\0 \(U\+0000\); /),
      expect.stringMatching(/^6:44: the value of "X-B" holds the control character \\e \(U\+001B\); /),
      expect.stringMatching(/^6:59: the value of "X-C" holds the control character U\+007F; /),
      expect.stringMatching(/^7:46: `to` holds a line break \(\\r\); /),
    ]);
  });

  it('says how to write a YAML block without its final line break', () => {
    expect(problemsOf('data:', '  rules:', '    - id: a', '      do:', '        - headers:', '            add:', '              X-Note: >', '                long text')).toEqual([
      expect.stringMatching(/^8:15: the value of "X-Note" holds a line break \(\\n\) \(a YAML `\|` or `>` block ends with one: write `\|-` or `>-`\); /),
    ]);
  });

  it('takes a tab, and fields filled from the message (made inert when they are filled)', () => {
    expect(problemsOf('data:', '  rules:', '    - id: a', '      when: { part: { filename: "*.exe" } }', '      do:',
      '        - { headers: { add: { X-A: "a\\tb", X-F: "{filename}" } } }', '        - { subject: { prefix: "[EXE {filename}]\\t" } }')).toEqual([]);
  });
});

describe('a notice is body text: line breaks and tabs, but no other control character', () => {
  it('takes a notice of several lines', () => {
    expect(problemsOf('notice: "Removed.\\r\\nAsk\\tIT."', ...rule('{ headers: { add: { X-A: b } } }'))).toEqual([]);
  });

  it('refuses a NUL or an escape in the policy notice and a strip notice', () => {
    expect(problemsOf('notice: "Removed\\0"', 'data:', '  rules:', '    - id: a', '      when: { part: { filename: "*.exe" } }', '      do: [ { strip: { notice: "\\e[2J{filename}" } } ]')).toEqual([
      '2:1: the notice holds the control character \\0 (U+0000), which is not text a reader shows; a notice may have line breaks and tabs, but no other control character',
      expect.stringMatching(/^7:24: the notice holds the control character \\e \(U\+001B\)/),
    ]);
  });
});
