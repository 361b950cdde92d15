/**
 * The examples of docs policy-language.md (the contract), as written there, loaded and run.
 * The shape example's `rules: [...]` placeholders are filled with the rule examples of the page.
 */
import { evaluate } from '../engine/evaluate';
import { runSession } from '../engine/run-session';
import { input, message, part } from '../engine/__fixtures__/model';
import { loadPolicy } from './load';

const SHAPE = `version: 1
name: acme-inbound
lists:                                   # named lists, referenced as "@name" anywhere a pattern goes
  mailhubs: [10.0.0.10, 10.0.1.0/24]
  our-domains: [acme.example, "*.acme.example"]
  risky-files: ["*.exe", "*.bat", "*.com", "*.pif", "*.scr", "*.vbs", "*.cmd", "*.dll", "love-letter*"]
  safe-types: ["text/*", "image/*", "multipart/*", "message/rfc822", application/pdf]
notice: '[Attachment denied by mailward policy (type "{type}", filename "{filename}")]'
smtp:                                    # protocol controls (the gateway and adapters apply them)
  hideKeywords: [DSN, ETRN, AUTH]        # removed from the EHLO reply, and refused if used anyway
  maxRecipients: 100
  maxSize: 10MB
  idleTimeout: 600s
  hardErrorLimit: 20
  requireHelo: true
  greetPause: 100ms                      # early-talker check before the banner; 0 disables
outbound:
  clients: ["@mailhubs"]                   # who counts as outbound (authenticated users always do)
connect:
  default: accept
  rules: []
helo:  { default: accept, rules: [] }
mail:  { default: accept, rules: [] }
rcpt:  { default: { reject: { code: 550, status: 5.7.1, text: "Relaying denied" } }, rules: [ { id: ours, when: { recipient: { domain: "@our-domains" } }, do: [ accept ] } ] }
data:
  default: accept
  rules:
    - id: block-executables               # unique, [a-z0-9-]+; appears in logs, traces and tests
      description: Strip attachments that Windows would run.
      when: { part: { filename: "@risky-files" } }
      do: [ strip ]
    - id: safe-types-only
      when: { part: { type: { not: "@safe-types" } } }
      do: [ strip ]
`;

const ACTIONS = `version: 1
lists: { mailhubs: [10.0.0.10] }
rcpt:
  rules:
    - id: routed
      do: [ { route: { via: [10.0.0.10, 10.0.0.11] } }, accept ]
data:
  rules:
    - id: x-reject
      when: { header: { name: X-Reject } }
      do: [ { reject: { code: 550, status: 5.7.1, text: "Message refused" } } ]
    - id: x-tempfail
      when: { header: { name: X-Tempfail } }
      do: [ tempfail ]                                   # 451 4.7.1 by default
    - id: x-quarantine
      when: { header: { name: X-Quarantine } }
      do: [ { quarantine: { reason: virus, notify: [postmaster@acme.example] } } ]
    - id: exe
      when: { part: { filename: "*.exe" } }
      do:
        - strip                                    # the parts this rule's \`part\` condition matched
        - { strip: { notice: "Removed {filename} ({type}) by rule {rule}" } }
    - id: everything
      do:
        - { headers: { remove: ["Received", "X-Mailer", "X-Sender", "X-Originating-IP"] } }
        - { headers: { keep: [From, To, Cc, Subject, Date, Message-ID, MIME-Version, "Content-*", Reply-To] } }
        - { headers: { add: { X-Policy: "{rule}" } } }
        - { rewrite: { header: From, match: "*@smtp.weirdal.com", to: "&@weirdal.com" } }
        - { rewrite: { header: "X-Internal-*", match: "*", to: "" } }     # empty target removes the field
        - { rewrite: { sender: { match: "*@*.acme.example", to: "&1@acme.example" } } }   # envelope (mail+)
        - { masquerade: { domain: acme.example, headers: [From, Sender, Reply-To], messageId: true } }
        - { subject: { prefix: "[SPAM] " } }
        - { bcc: archive@acme.example }            # mail+
        - { stripHtml: [script, applet, object, embed, iframe] }
        - { log: "text with {sender} and {rule}" }
`;

describe('policy-language.md examples', () => {
  it('the shape loads, with every field as documented', () => {
    const p = loadPolicy(SHAPE, 'acme.yaml');
    // The shape strips attachments and, being a sketch, holds no malformed MIME: said, not refused.
    expect(p.warnings.map((w) => [w.rule, w.message.slice(0, 33)])).toEqual([['block-executables', 'no rule looks at `malformed`: MIM']]);
    expect(p.smtp).toEqual({ hideKeywords: ['DSN', 'ETRN', 'AUTH'], maxRecipients: 100, maxSize: 10485760, idleTimeout: 600000, hardErrorLimit: 20, requireHelo: true, greetPause: 100 });
    const d = evaluate(p, 'rcpt', input({ recipient: 'bob@mail.acme.example' }), {});
    expect(d.verdict).toBe('accept');
    expect(evaluate(p, 'connect', input({ client: { ip: '10.0.1.9', tls: false, authenticated: false } }), {}).verdict).toBe('accept');
  });

  it('a .ppt sent as application/octet-stream is replaced by the notice; text and PDFs pass', () => {
    const p = loadPolicy(SHAPE, 'acme.yaml');
    const msg = message({
      parts: [
        part({ path: '', type: 'multipart/mixed' }),
        part({ path: '1', type: 'text/plain' }),
        part({ path: '2', type: 'application/octet-stream', filename: 'slides.ppt' }),
        part({ path: '3', type: 'application/pdf', filename: 'a.pdf' }),
      ],
    });
    const r = runSession(p, { client: { ip: '198.51.100.7', tls: false, authenticated: false }, helo: 'mx.example.net', sender: 'x@example.net', recipients: ['bob@acme.example'], message: msg }, {});
    expect(r.verdict).toBe('accept');
    expect(r.effects).toEqual([
      { type: 'stripPart', rule: 'safe-types-only', part: { path: '2', carrier: '2', type: 'application/octet-stream', filename: 'slides.ppt', size: 100 }, notice: '[Attachment denied by mailward policy (type "application/octet-stream", filename "slides.ppt")]' },
    ]);
  });

  it('every action example loads and does what the page says', () => {
    const p = loadPolicy(ACTIONS, 'actions.yaml');
    const run = (headers: [string, string][], parts = [part({ path: '1', type: 'text/plain' })]) =>
      evaluate(p, 'data', input({ sender: 'penny@dimension.acme.example', recipients: ['b@acme.example'], message: message({ headers, parts }) }), {});
    expect(run([['X-Reject', '1']]).reply).toEqual({ code: 550, status: '5.7.1', text: 'Message refused' });
    expect(run([['X-Tempfail', '1']]).reply).toMatchObject({ code: 451, status: '4.7.1' });
    expect(run([['X-Quarantine', '1']]).quarantine).toEqual({ reason: 'virus', notify: ['postmaster@acme.example'] });
    const all = run([['Subject', 'hi']], [part({ path: '2', type: 'application/x-msdownload', filename: 'setup.exe' })]);
    expect(all.verdict).toBe('accept');
    expect(all.effects.map((e) => e.type)).toEqual([
      'stripPart', 'stripPart', 'removeHeaders', 'keepHeaders', 'addHeader', 'rewriteHeader', 'rewriteHeader', 'rewriteSender', 'masquerade', 'subjectPrefix', 'bcc', 'stripHtml', 'log',
    ]);
    expect(all.effects[1]).toMatchObject({ notice: 'Removed setup.exe (application/x-msdownload) by rule exe' });
    expect(all.effects).toContainEqual({ type: 'addHeader', rule: 'everything', name: 'X-Policy', value: 'everything' });
    expect(all.effects).toContainEqual({ type: 'rewriteSender', rule: 'everything', from: 'penny@dimension.acme.example', to: 'penny@acme.example' });
    expect(all.effects).toContainEqual({ type: 'log', rule: 'everything', text: 'text with penny@dimension.acme.example and everything' });
    expect(evaluate(p, 'rcpt', input({ recipient: 'x@y.example' }), {}).effects).toEqual([{ type: 'route', rule: 'routed', via: ['10.0.0.10', '10.0.0.11'] }]);
  });

  it('an empty policy is never an open relay', () => {
    const p = loadPolicy('version: 1\n', 'empty.yaml');
    expect(evaluate(p, 'rcpt', input({ recipient: 'x@anywhere.example' }), {}).reply).toEqual({ code: 550, status: '5.7.1', text: 'Relaying denied' });
  });

  it('a template that names a wildcard its pattern lacks is a load error', () => {
    expect(() => loadPolicy('version: 1\ndata: { rules: [ { id: r, do: [ { rewrite: { header: From, match: "*@x.example", to: "&2@y.example" } } ] } ] }\n', 'p.yaml')).toThrow(/&2 but "\*@x\.example" has only 1 wildcard/);
  });
});
