import { loadPolicy } from '../load';
import { PolicyError } from '../policy-error';
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

  it('warns of a pattern that picks such fields, * above all (trial r8)', () => {
    expect(warningsOf('{ masquerade: { domain: acme.example, headers: ["*"] } }')).toEqual([
      '5:61: "*" picks fields that hold no addresses (Subject, Received, Content-Type, Date...): masquerade would change any address or (host) in the text they carry (a Subject, a Received line, a Content-Type name=); name only address fields (From, Sender, Reply-To, To, Cc), and use `messageId: true` for the message ids',
    ]);
    expect(warningsOf('{ masquerade: { domain: acme.example, headers: ["Content-*", "re:^subject$", "S*", "Re*"] } }')).toEqual([
      expect.stringMatching(/^5:61: "Content-\*" picks fields that hold no addresses \(Content-Type, Content-Disposition, Content-Transfer-Encoding, Content-Description\.\.\.\): masquerade would change/),
      expect.stringMatching(/^5:74: "re:\^subject\$" picks fields that hold no addresses \(Subject\): .*Cc\)$/),
      expect.stringMatching(/^5:90: "S\*" picks fields that hold no addresses \(Subject\)/),
      expect.stringMatching(/^5:96: "Re\*" picks fields that hold no addresses \(Received, Resent-Date, Resent-Message-ID, References\): .*and use `messageId: true` for the message ids$/),
    ]);
  });

  it('takes patterns that pick only fields that may hold addresses', () => {
    expect(warningsOf('{ masquerade: { domain: acme.example, headers: ["X-*", "Reply-*", "re:^(from|sender)$", "Resent-{From,Sender}"] } }')).toEqual([]);
  });

  it('warns of Received, a trace field, saying to remove internal hops instead', () => {
    expect(masqueradeFieldProblem('Received')).toBe('`Received` is a trace field: masquerade would change the hosts it names and make the trace wrong; to hide internal hops, remove their Received fields (`headers: { remove: [Received] }`)');
  });
});

describe('masquerade: headers: [] is a load error unless messageId says what to do (trial r8b)', () => {
  const problemsOf = (action: string, extra: string[] = []): string[] => {
    try {
      warningsOf(action, extra);
    } catch (err) {
      if (err instanceof PolicyError) return err.problems.map((p) => `${p.line}:${p.col}: ${p.message}`);
      throw err;
    }
    return [];
  };

  it('refuses headers: [] and headers of empty lists, saying what to write', () => {
    expect(problemsOf('{ masquerade: { domain: acme.example, headers: [] } }')).toEqual([
      '5:51: `headers` names no field, so this masquerade changes nothing; name the address fields (`headers: [From, Sender, Reply-To]`, or leave `headers` out for those three), or add `messageId: true` to masquerade only the message ids',
    ]);
    expect(problemsOf('{ masquerade: { domain: acme.example, headers: ["@none"] } }', ['lists: { none: [] }'])).toContainEqual(expect.stringMatching(/^6:51: `headers` names no field/));
  });

  it('takes headers: [] with messageId: true (the message ids alone)', () => {
    expect(problemsOf('{ masquerade: { domain: acme.example, headers: [], messageId: true } }')).toEqual([]);
  });

  it.each(['Subject', 'Comments', 'Keywords', 'Date', 'MIME-Version', 'Content-Type'])('warns of %s', (name) => {
    expect(masqueradeFieldProblem(name)).toMatch(/holds no addresses/);
  });
});
