import { compilePolicy } from './compile';
import { loadPolicy } from './load';
import { PolicyError } from './policy-error';
import type { RawPolicy } from './raw-policy';

/** "line:col: message" for each problem loading `text` gives (fails the test when it loads). */
function problemLines(...lines: string[]): string[] {
  try {
    loadPolicy(`${lines.join('\n')}\n`, 'policy.yaml');
  } catch (err) {
    if (err instanceof PolicyError) return err.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
    throw err;
  }
  throw new Error('policy loaded without problems');
}

const rule = (when: string, action = 'reject'): string[] => ['data:', '  rules:', '    - id: r', `      when: ${when}`, `      do: [ ${action} ]`];

describe('one problem per mistake, saying what to write', () => {
  it('reports a value the schema refuses once, not again from the compiler', () => {
    expect(problemLines('version: 1', ...rule('{ size: { gt: 5 MiB } }'))).toEqual([
      '5:27: `5 MiB` is not valid in `gt`; it is not a size; write bytes or 10KB / 5MB / 1GB (1 KB = 1024 bytes)',
    ]);
    expect(problemLines('version: 1', ...rule('{ spam: { score: { gte: "5" } } }'))).toEqual(['5:37: `gte` must be a number, not string `5`']);
    expect(problemLines('version: 1', 'smtp: { maxSize: 10XB, idleTimeout: 10 min }')).toHaveLength(2);
    expect(problemLines('version: 1', 'rcpt:', '  default: quarantine')).toEqual(['3:12: `quarantine` is not allowed in `default`; use one of: accept, reject, tempfail']);
  });

  it('does not follow a missing masquerade domain with "`undefined` is not a domain name"', () => {
    expect(problemLines('version: 1', 'data:', '  rules:', '    - id: r', '      do: [ { masquerade: { headers: [From] } } ]')).toEqual([
      '5:15: `masquerade` needs `domain`',
    ]);
  });

  it('says a quoted version is a string, not that "1" should be 1', () => {
    expect(problemLines('version: "1"')).toEqual(['1:10: `version` must be the number 1, not the string "1": write it without quotes']);
  });

  it('points a wrong type or value at the value, at the top level as in a rule; an unknown key at the key', () => {
    expect(problemLines('version: "one"', 'name: 5', 'smtp:', '  maxRecipients: lots', 'data:', '  rules:', '    - id: a', '      when: { size: { gt: big } }', '      do: reject', 'nmae: x')).toEqual([
      '1:10: `one` is not allowed in `version`; use one of: 1',
      '2:7: `name` must be a string, not number `5`',
      '4:18: `maxRecipients` must be a whole number, not string `lots`',
      expect.stringMatching(/^8:27: `big` is not valid in `gt`; it is not a size/),
      '9:11: `do` must be a list, not string `reject`',
      expect.stringMatching(/^10:1: `nmae` is not known at the top level; did you mean `name`\?/),
    ]);
  });

  it('suggests the kind of MIME damage a misspelt `malformed` meant', () => {
    const kinds = 'use one of: duplicate-boundary, unclosed-multipart, bad-encoding, bad-header, bare-cr, limits';
    expect(problemLines('version: 1', ...rule('{ malformed: duplicate-boundry }'))).toEqual([
      `5:26: \`duplicate-boundry\` is not valid in \`malformed\`; did you mean \`duplicate-boundary\`? ${kinds}`,
    ]);
    expect(problemLines('version: 1', ...rule('{ malformed: weird }'))).toEqual([`5:26: \`weird\` is not valid in \`malformed\`; ${kinds}`]);
  });

  it('counts two swapped letters as one typo: `rctp` means `rcpt`, not `smtp`', () => {
    const stage = (name: string): string[] => problemLines('version: 1', `${name}:`, '  rules:', '    - id: a', '      do: [ accept ]');
    expect(stage('rctp')).toEqual([expect.stringMatching(/^2:1: `rctp` is not known at the top level; did you mean `rcpt`\?/)]);
    expect(stage('mial')).toEqual([expect.stringMatching(/did you mean `mail`\?/)]);
    expect(stage('dtaa')).toEqual([expect.stringMatching(/did you mean `data`\?/)]);
  });

  it('names where a duplicate rule id is first written: first in the file, not in stage order', () => {
    const log = '      do: [ { log: x } ]';
    const dup = ['version: 1', 'data:', '  rules:', '    - id: a', log, '    - id: b', log, 'rcpt:', '  rules:', '    - id: b', log, '    - id: a', log];
    expect(problemLines(...dup)).toEqual([
      '10:7: rule id `b` is already used at stage `data` (first at line 6:7); rule ids must be unique',
      '12:7: rule id `a` is already used at stage `data` (first at line 4:7); rule ids must be unique',
    ]);
    const raw = { version: 1, rcpt: { rules: [{ id: 'x', do: ['accept'] }, { id: 'x', do: ['accept'] }] } } as unknown as RawPolicy;
    expect(() => compilePolicy(raw)).toThrow('rcpt.rules[1].id: rule id `x` is already used at stage `rcpt` (first at rcpt.rules[0].id); rule ids must be unique');
  });

  it('says nothing of duplicate ids for rules with no id, which the schema refuses', () => {
    expect(problemLines('version: 1', 'data:', '  rules:', '    - do: [ { log: a } ]', '    - do: [ { log: b } ]').filter((l) => l.includes('already used'))).toEqual([]);
  });

  it('refuses an address or IP pattern that no value can match: empty, or with spaces around it', () => {
    const rcpt = (pattern: string): string[] => problemLines('version: 1', 'rcpt:', '  rules:', '    - id: r', `      when: { recipient: ${pattern} }`, '      do: [ accept ]');
    expect(rcpt('""')).toEqual(['5:15: an empty pattern matches nothing; write what to match (the null sender is "<>", any address "*")']);
    expect(rcpt('"*@acme.example "')).toEqual(['5:15: pattern "*@acme.example " has spaces around it, which no address has; write "*@acme.example"']);
    expect(rcpt('{ domain: " acme.example" }')).toEqual(['5:28: pattern " acme.example" has spaces around it, which no domain has; write "acme.example"']);
    expect(problemLines('version: 1', 'outbound: { clients: ["10.0.0.1", " "] }')).toEqual(['2:35: an empty pattern matches nothing; write what to match ("*" for any client)']);
  });

  it('keeps empty patterns where a value can be empty: a header value, a domain', () => {
    expect(() => loadPolicy('version: 1\ndata: { rules: [ { id: r, when: { header: { name: Subject, value: "" } }, do: [ reject ] } ] }\nrcpt: { rules: [ { id: p, when: { recipient: { domain: "" } }, do: [ accept ] } ] }\n', 'p.yaml')).not.toThrow();
  });

  it('refuses a reply text with a line break, which the client would see as a space or a second line', () => {
    expect(problemLines('version: 1', 'rcpt:', '  rules:', '    - id: r', '      do: [ { reject: { text: "No\\nrelay" } } ]')).toEqual([
      '5:25: reply `text` holds a line break or another control character, which an SMTP reply line cannot; write it on one line',
    ]);
  });

  it('points at the value inside a stage default written as a map', () => {
    expect(problemLines('version: 1', 'rcpt:', '  default:', '    reject: { code: 250 }')).toEqual(['4:15: `reject` cannot answer 250; use a 4xx or 5xx code']);
  });

  it('refuses a template field in a quarantine reason, which is stored as written', () => {
    expect(problemLines('version: 1', 'data:', '  rules:', '    - id: v', '      when: { virus: true }', '      do: [ { quarantine: { reason: "virus {virus}" } } ]')).toEqual([
      '6:29: `reason` is plain text, so `{virus}` would be stored as written; leave the field out (a `log` action in the same rule can record it)',
    ]);
  });

  it('refuses a template field in a reply text, which is sent as written', () => {
    expect(problemLines('version: 1', 'helo:', '  rules:', '    - id: h', '      when: { helo: localhost }', '      do: [ { reject: { text: "HELO {helo} refused" } } ]')).toEqual([
      '6:25: reply `text` is plain text, so `{helo}` would reach the client as written; leave the field out (a `log` action in the same rule can record it)',
    ]);
  });
});
