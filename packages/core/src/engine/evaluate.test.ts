import { loadPolicy } from '../policy/load';
import { evaluate } from './evaluate';
import { input, message, part } from './__fixtures__/model';

const policy = (yaml: string) => loadPolicy(`version: 1\n${yaml}`, 'policy.yaml');

describe('evaluate', () => {
  it('runs rules in order: every matching rule acts, the first terminal action ends the stage', () => {
    const p = policy(`
data:
  rules:
    - id: tag
      do: [ { subject: { prefix: "[X] " } } ]
    - id: no-match
      when: { sender: "*@nowhere.example" }
      do: [ reject ]
    - id: stop
      do: [ { log: "stopped by {rule}" }, { reject: { code: 554, status: 5.7.1, text: "No" } }, { headers: { add: { X-After: "yes" } } } ]
    - id: later
      do: [ { subject: { prefix: "[Y] " } } ]
`);
    const d = evaluate(p, 'data', input({ recipients: ['b@acme.example'], message: message() }), {});
    expect(d.verdict).toBe('reject');
    expect(d.reply).toEqual({ code: 554, status: '5.7.1', text: 'No' });
    expect(d.rule).toBe('stop');
    expect(d.fired).toEqual(['tag', 'stop']);
    // The deciding rule's own actions all apply; later rules do not.
    expect(d.effects).toEqual([
      { type: 'subjectPrefix', rule: 'tag', prefix: '[X] ' },
      { type: 'log', rule: 'stop', text: 'stopped by stop' },
      { type: 'addHeader', rule: 'stop', name: 'X-After', value: 'yes' },
    ]);
    expect(d.trace.map((t) => [t.rule, t.reached, t.matched])).toEqual([
      ['tag', true, true],
      ['no-match', true, false],
      ['stop', true, true],
      ['later', false, false],
    ]);
    expect(d.trace[1]!.conditions).toEqual([{ condition: 'sender', value: 'alice@example.org', pattern: '*@nowhere.example', result: false }]);
    expect(d.trace[3]!.note).toMatch(/rule `stop` ended the stage/);
  });

  it('falls through to the stage default; accept replies depend on the stage', () => {
    const p = policy('rcpt: { rules: [ { id: ours, when: { recipient: { domain: acme.example } }, do: [ accept ] } ] }');
    const ok = evaluate(p, 'rcpt', input({ recipient: 'bob@ACME.example' }), {});
    expect(ok).toMatchObject({ verdict: 'accept', rule: 'ours', reply: { code: 250, status: '2.1.5' } });
    const relay = evaluate(p, 'rcpt', input({ recipient: 'bob@elsewhere.example' }), {});
    expect(relay.verdict).toBe('reject');
    expect(relay.rule).toBeUndefined();
    expect(relay.reply).toEqual({ code: 550, status: '5.7.1', text: 'Relaying denied' });
    expect(evaluate(p, 'mail', input(), {}).reply).toMatchObject({ code: 250, status: '2.1.0' });
    expect(evaluate(p, 'data', input({ message: message() }), {}).reply).toMatchObject({ code: 250, status: '2.0.0' });
  });

  it('uses the default replies of each verdict', () => {
    const p = policy(`
data:
  rules:
    - { id: t, when: { header: { name: X-T } }, do: [ tempfail ] }
    - { id: r, when: { header: { name: X-R } }, do: [ reject ] }
    - { id: q, when: { header: { name: X-Q } }, do: [ quarantine ] }
    - { id: d, when: { header: { name: X-D } }, do: [ drop ] }
`);
    const run = (h: string) => evaluate(p, 'data', input({ message: message({ headers: [[h, '1']] }) }), {});
    expect(run('X-T').reply).toMatchObject({ code: 451, status: '4.7.1' });
    expect(run('X-R').reply).toMatchObject({ code: 550, status: '5.7.1' });
    expect(run('X-Q')).toMatchObject({ verdict: 'quarantine', reply: { code: 250 }, quarantine: { reason: 'q', notify: [] } });
    expect(run('X-D')).toMatchObject({ verdict: 'drop', reply: { code: 250 } });
  });

  it('tempfails by default when a fact is missing or failed, naming it (never clean)', () => {
    const p = policy('data: { rules: [ { id: spammy, when: { spam: { score: { gte: 5 } } }, do: [ reject ] } ] }');
    const missing = evaluate(p, 'data', input({ message: message() }), {});
    expect(missing).toMatchObject({ verdict: 'tempfail', rule: 'spammy', reply: { code: 451, status: '4.7.1' }, fired: [] });
    expect(missing.reply.text).toMatch(/spam/);
    expect(missing.trace[0]!.note).toMatch(/spam unavailable \(no answer was gathered\); onError: tempfail/);
    const failed = evaluate(p, 'data', input({ message: message() }), { spam: { error: 'spamd: connection refused' } });
    expect(failed.verdict).toBe('tempfail');
    expect(failed.trace[0]!.note).toMatch(/connection refused/);
  });

  it('follows onError skip and reject', () => {
    const p = policy(`
data:
  rules:
    - { id: skipper, onError: skip, when: { virus: true }, do: [ reject ] }
    - { id: strict, onError: reject, when: { spam: { score: { gte: 5 } } }, do: [ { subject: { prefix: "[SPAM] " } } ] }
`);
    const d = evaluate(p, 'data', input({ message: message() }), {});
    expect(d.trace[0]).toMatchObject({ rule: 'skipper', matched: false, note: expect.stringMatching(/onError: skip/) });
    expect(d).toMatchObject({ verdict: 'reject', rule: 'strict', reply: { code: 554, status: '5.7.1' } });
  });

  it('lets a missing fact decide only when it could change the outcome', () => {
    const p = policy('data: { rules: [ { id: s, when: { sender: "*@spam.example", spam: { score: { gte: 5 } } }, do: [ reject ] } ] }');
    expect(evaluate(p, 'data', input({ message: message() }), {}).verdict).toBe('accept');
    const late = policy('data: { rules: [ { id: s, when: { spam: { score: { gte: 5 } }, sender: "*@spam.example" }, do: [ reject ] } ] }');
    expect(evaluate(late, 'data', input({ message: message() }), {}).verdict).toBe('accept');
    expect(evaluate(late, 'data', input({ sender: 'x@spam.example', message: message() }), {}).verdict).toBe('tempfail');
    const either = policy('connect: { rules: [ { id: e, when: { any: [ { dnsbl: zen.example }, { client: 203.0.113.0/24 } ] }, do: [ reject ] } ] }');
    expect(evaluate(either, 'connect', input(), {})).toMatchObject({ verdict: 'reject', fired: ['e'] });
    expect(evaluate(either, 'connect', input({ client: { ip: '198.51.100.1', tls: false, authenticated: false } }), {}).verdict).toBe('tempfail');
  });

  it('applies strip to exactly the matching parts, with the notice filled in per part', () => {
    const p = policy(`
notice: 'removed "{filename}" ({type}, {size} bytes) by {rule}'
data:
  rules:
    - id: bad-files
      when: { part: { filename: ["*.bat", "love-letter*"] } }
      do: [ strip, { log: 'stripped {filename}' } ]
    - id: drop-exe
      when: { part: { filename: "*.exe" } }
      do: [ drop-part ]
`);
    const msg = message({
      parts: [
        part({ path: '1', type: 'text/plain' }),
        part({ path: '2', type: 'application/octet-stream', filename: 'run.BAT', size: 10 }),
        part({ path: '3', type: 'application/pdf', filename: 'report.pdf' }),
        part({ path: '4', type: 'text/plain', filenames: ['notes.txt', 'LOVE-LETTER-FOR-YOU.txt.vbs'] }),
        part({ path: '5/docs/update.exe', type: 'application/x-msdownload', filename: 'docs/update.exe', inArchive: true }),
      ],
    });
    const d = evaluate(p, 'data', input({ message: msg }), {});
    expect(d.verdict).toBe('accept');
    expect(d.effects).toEqual([
      { type: 'stripPart', rule: 'bad-files', part: { path: '2', carrier: '2', type: 'application/octet-stream', filename: 'run.BAT', size: 10 }, notice: 'removed "run.BAT" (application/octet-stream, 10 bytes) by bad-files' },
      { type: 'stripPart', rule: 'bad-files', part: { path: '4', carrier: '4', type: 'text/plain', filename: 'notes.txt', size: 100 }, notice: 'removed "notes.txt" (text/plain, 100 bytes) by bad-files' },
      { type: 'log', rule: 'bad-files', text: 'stripped run.BAT' },
      { type: 'log', rule: 'bad-files', text: 'stripped notes.txt' },
      { type: 'dropPart', rule: 'drop-exe', part: { path: '5/docs/update.exe', carrier: '5', type: 'application/x-msdownload', filename: 'docs/update.exe', size: 100 } },
    ]);
  });

  it('strips under any the parts of every branch that holds, whichever is written first', () => {
    const parts = [
      part({ path: '1', type: 'text/plain' }),
      part({ path: '2', type: 'application/octet-stream', filename: 'invoice.pdf.exe', doubleExtension: true }),
      part({ path: '3', type: 'application/octet-stream', filename: 'run.bat' }),
    ];
    for (const branches of ['[ { part: { doubleExtension: true } }, { part: { filename: "*.bat" } } ]', '[ { part: { filename: "*.bat" } }, { part: { doubleExtension: true } } ]']) {
      const p = policy(`data: { rules: [ { id: s, when: { any: ${branches} }, do: [ strip ] } ] }`);
      const d = evaluate(p, 'data', input({ message: message({ parts }) }), {});
      expect(d.effects.map((e) => (e.type === 'stripPart' ? e.part.filename : e.type)).sort()).toEqual(['invoice.pdf.exe', 'run.bat']);
      expect(d.trace[0]!.conditions.map((c) => c.result)).toEqual([true, true]);
    }
    // A branch that holds without parts adds none; one that does not hold adds none either.
    const mixed = policy('data: { rules: [ { id: s, when: { any: [ { sender: "*" }, { part: { filename: "*.zip" } }, { part: { filename: "*.bat" } } ] }, do: [ strip ] } ] }');
    const d = evaluate(mixed, 'data', input({ message: message({ parts }) }), {});
    expect(d.effects.map((e) => (e.type === 'stripPart' ? e.part.filename : e.type))).toEqual(['run.bat']);
  });

  it('lets onError decide an any whose held branch names parts while another branch\'s fact is missing', () => {
    const parts = [part({ path: '1', type: 'text/plain' }), part({ path: '2', type: 'application/x-msdownload', filename: 'a.exe' })];
    const p = policy('data: { rules: [ { id: s, when: { any: [ { part: { filename: "*.exe" } }, { part: { virus: true } } ] }, do: [ strip ] } ] }');
    // No virus answer: the unscanned parts may hold one to strip, so the default onError (tempfail) decides.
    expect(evaluate(p, 'data', input({ message: message({ parts }) }), {}).verdict).toBe('tempfail');
    // A branch without parts that holds still decides without the missing fact.
    const q = policy('data: { rules: [ { id: r, when: { any: [ { sender: "*@example.org" }, { part: { virus: true } } ] }, do: [ reject ] } ] }');
    expect(evaluate(q, 'data', input({ message: message({ parts }) }), {}).verdict).toBe('reject');
  });

  it('adds one header naming every matched part, each name once', () => {
    const p = policy(`
data:
  rules:
    - { id: exe, when: { part: { filename: ["*.exe", "*.scr"] } }, do: [ strip, { headers: { add: { X-Stripped: "{filename}" } } } ] }
`);
    const parts = [part({ path: '2', type: 'application/x-msdownload', filename: 'a.exe' }), part({ path: '3', type: 'application/octet-stream', filename: 'b.scr' }), part({ path: '4', type: 'application/octet-stream', filename: 'a.exe' })];
    const d = evaluate(p, 'data', input({ message: message({ parts }) }), {});
    expect(d.effects.filter((e) => e.type === 'addHeader')).toEqual([{ type: 'addHeader', rule: 'exe', name: 'X-Stripped', value: 'a.exe, b.scr' }]);
  });

  it('uses the strip action\'s own notice over the policy notice', () => {
    const p = policy(`
data:
  rules:
    - { id: exe, when: { part: { filename: "*.exe" } }, do: [ { strip: { notice: "Removed {filename} ({type}) by rule {rule}" } } ] }
`);
    const d = evaluate(p, 'data', input({ message: message({ parts: [part({ path: '2', type: 'application/x-msdownload', filename: 'a.exe' })] }) }), {});
    expect(d.effects).toEqual([expect.objectContaining({ type: 'stripPart', notice: 'Removed a.exe (application/x-msdownload) by rule exe' })]);
  });

  it('names a member in its notice with the attachment that holds it, which is what goes', () => {
    const p = policy(`
data:
  rules:
    - { id: exe, when: { part: { filename: "*.exe" } }, do: [ { strip: { notice: "Removed {filename} ({type})" } } ] }
`);
    const parts = [
      part({ path: '2', type: 'application/zip', filename: 'stuff.zip' }),
      part({ path: '2/evil.exe', type: 'application/x-msdownload', filename: 'evil.exe', inArchive: true }),
      part({ path: '3', type: 'message/rfc822' }),
      part({ path: '3/2', type: 'application/x-msdownload', filename: 'inner.exe' }),
      part({ path: '4', type: 'application/zip', filename: 'tools.zip' }),
      // a member in a folder: named by its place in the archive, as analyze gives both names
      part({ path: '4/docs/setup.exe', type: 'application/x-msdownload', filename: 'setup.exe', filenames: ['setup.exe', 'docs/setup.exe'], inArchive: true }),
      part({ path: '5', type: 'application/zip', filename: 'bundle.zip' }),
      part({ path: '5/nested.zip', type: 'application/zip', filename: 'nested.zip', inArchive: true }),
      // a member of an archive in the archive: every archive on the way is named
      part({ path: '5/nested.zip/inner/run.exe', type: 'application/x-msdownload', filename: 'run.exe', filenames: ['run.exe', 'inner/run.exe'], inArchive: true }),
      // a zip in an unnamed attached message: by the zip's name, not its MIME part number (trial G)
      part({ path: '6', type: 'message/rfc822' }),
      part({ path: '6/2', type: 'application/zip', filename: 'in.zip' }),
      part({ path: '6/2/evil.exe', type: 'application/x-msdownload', filename: 'evil.exe', inArchive: true }),
      // a message in a zip, holding the program: the message is named on the way
      part({ path: '7', type: 'application/zip', filename: 'mail.zip' }),
      part({ path: '7/fwd/mail.eml', type: 'message/rfc822', filename: 'mail.eml', filenames: ['mail.eml', 'fwd/mail.eml'], inArchive: true }),
      part({ path: '7/fwd/mail.eml/2', type: 'application/octet-stream', filename: 'x.exe', inArchive: true }),
    ].map((x) => ({ ...x, carrier: x.path.split('/')[0]! }));
    const d = evaluate(p, 'data', input({ message: message({ parts }) }), {});
    expect(d.effects.filter((e) => e.type === 'stripPart').map((e) => (e as { notice: string }).notice)).toEqual([
      'Removed stuff.zip/evil.exe (application/x-msdownload)',
      'Removed inner.exe (application/x-msdownload)', // the attached message has no name of its own
      'Removed tools.zip/docs/setup.exe (application/x-msdownload)',
      'Removed bundle.zip/nested.zip/inner/run.exe (application/x-msdownload)',
      'Removed in.zip/evil.exe (application/x-msdownload)',
      'Removed mail.zip/fwd/mail.eml/x.exe (application/octet-stream)',
    ]);
  });

  it('names conditions in the trace by their path in the policy', () => {
    const p = policy(`
mail:
  rules:
    - id: r
      when: { any: [ { sender: "*@x.example" }, { client: 10.0.0.0/8 } ], not: { helo: "*.example.org" } }
      do: [ reject ]
`);
    const d = evaluate(p, 'mail', input({ client: { ip: '10.1.1.1', tls: false, authenticated: false }, helo: 'pc.local' }), {});
    expect(d.verdict).toBe('reject');
    expect(d.trace[0]!.conditions).toEqual([
      { condition: 'any[1].client', value: '10.1.1.1', pattern: '10.0.0.0/8', result: true },
      { condition: 'not.helo', value: 'pc.local', pattern: '*.example.org', result: false },
      { condition: 'not', value: false, pattern: 'not', result: true },
    ]);
  });

  it('shows in the trace the part of an address a sub-key tested: the domain for domain, fqdn and resolves', () => {
    const p = policy('mail: { rules: [ { id: d, when: { sender: { address: "*", domain: "*.acme.example", fqdn: true } }, do: [ reject ] } ] }');
    expect(evaluate(p, 'mail', input({ sender: 'penny@dimension.acme.example' }), {}).trace[0]!.conditions).toEqual([
      { condition: 'sender.address', value: 'penny@dimension.acme.example', pattern: '*', result: true },
      { condition: 'sender.domain', value: 'dimension.acme.example', pattern: '*.acme.example', result: true },
      { condition: 'sender.fqdn', value: 'dimension.acme.example', pattern: 'true', result: true },
    ]);
  });

  it('hands out effects the host may change without changing the policy', () => {
    const p = policy('data: { rules: [ { id: h, do: [ { headers: { remove: [Received] } }, { route: { via: [a.example] } } ] } ] }');
    const first = evaluate(p, 'data', input({ message: message() }), {});
    for (const e of first.effects) if ('names' in e) e.names.push('X-Changed'); else if ('via' in e) e.via.length = 0;
    expect(evaluate(p, 'data', input({ message: message() }), {}).effects).toEqual([
      { type: 'removeHeaders', rule: 'h', names: ['Received'] },
      { type: 'route', rule: 'h', via: ['a.example'] },
    ]);
  });

  it('never accepts a recipient of an empty policy (no open relay)', () => {
    const d = evaluate(policy(''), 'rcpt', input({ recipient: 'anyone@anywhere.example' }), {});
    expect(d.verdict).toBe('reject');
  });
});
