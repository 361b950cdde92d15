import { loadPolicy } from '../load';
import { masqueradeFieldProblem } from './masquerade-fields';

/** "line:col: message" of each warning loading a policy whose data rule `m` does `action`. */
function warningsOf(action: string, extra: string[] = []): string[] {
  const text = ['version: 1', ...extra, 'data:', '  rules:', '    - id: m', `      do: [ ${action} ]`, '    - id: odd', '      when: { malformed: true }', '      do: [ reject ]', ''].join('\n');
  return loadPolicy(text, 'p.yaml').warnings.map((w) => `${w.line}:${w.col}: ${w.message}`);
}

describe('masquerade: a field that holds no addresses is warned about', () => {
  it('warns of Subject where it is written, saying which fields to name', () => {
    expect(warningsOf('{ masquerade: { domain: acme.example, headers: [From, Subject, X-Host] } }')).toEqual([
      '5:67: `Subject` holds no addresses: masquerade would change any address or (host) in the text it carries; name only address fields (From, Sender, Reply-To, To, Cc)',
    ]);
  });

  it('warns of one that comes from a list in the list', () => {
    expect(warningsOf('{ masquerade: { domain: acme.example, headers: ["@ours"] } }', ['lists: { ours: [From, Date] }'])).toEqual([
      expect.stringMatching(/^2:23: `Date` holds no addresses/),
    ]);
  });

  it('points Message-ID and its kin to messageId', () => {
    expect(masqueradeFieldProblem('message-id')).toMatch(/^`message-id` holds message ids, not addresses: masquerade it with `messageId: true`/);
    expect(masqueradeFieldProblem('References')).toMatch(/messageId: true/);
  });

  it.each(['From', 'Sender', 'Reply-To', 'To', 'Cc', 'Resent-From', 'Return-Path', 'X-Original-From', 'X-Host'])('takes %s, which holds or may hold addresses', (name) => {
    expect(masqueradeFieldProblem(name)).toBeUndefined();
  });

  it('takes patterns as written', () => {
    expect(warningsOf('{ masquerade: { domain: acme.example, headers: ["Content-*", "re:^subject$", "S*"] } }')).toEqual([]);
  });

  it.each(['Subject', 'Comments', 'Keywords', 'Date', 'MIME-Version', 'Content-Type'])('warns of %s', (name) => {
    expect(masqueradeFieldProblem(name)).toMatch(/holds no addresses/);
  });
});
