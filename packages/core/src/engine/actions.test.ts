import { loadPolicy } from '../policy/load';
import { evaluate } from './evaluate';
import { input, message, part } from './__fixtures__/model';
import type { Stage } from './stage';
import type { StageInput } from './input';
import type { Facts } from '../facts/facts';

/** The effects of a one-rule policy with these actions at `stage`. */
function effectsOf(stage: Stage, doYaml: string, over: Partial<StageInput> = {}, facts: Facts = {}, extra = '') {
  const p = loadPolicy(`version: 1\n${extra}\n${stage}:\n  rules:\n    - id: r\n      do: ${doYaml}\n`, 'policy.yaml');
  return evaluate(p, stage, input({ message: message(), ...over }), facts).effects;
}

describe('actions', () => {
  it('headers: remove, keep (lists expanded) and add with templates', () => {
    expect(effectsOf('data', '[ { headers: { remove: ["@hops", X-Mailer] } } ]', {}, {}, 'lists: { hops: [Received, X-Sender] }')).toEqual([
      { type: 'removeHeaders', rule: 'r', names: ['Received', 'X-Sender', 'X-Mailer'] },
    ]);
    expect(effectsOf('data', '[ { headers: { keep: [From, "Content-*"] } } ]')).toEqual([{ type: 'keepHeaders', rule: 'r', names: ['From', 'Content-*'] }]);
    expect(effectsOf('data', '[ { headers: { add: { X-Spam-Flag: "YES", X-Spam-Score: "{spam.score}", X-Policy: "{rule} for {sender} via {client}" } } } ]', {}, { spam: { score: 6.1 } })).toEqual([
      { type: 'addHeader', rule: 'r', name: 'X-Spam-Flag', value: 'YES' },
      { type: 'addHeader', rule: 'r', name: 'X-Spam-Score', value: '6.1' },
      { type: 'addHeader', rule: 'r', name: 'X-Policy', value: 'r for alice@example.org via 203.0.113.9' },
    ]);
  });

  it('rewrite of a header carries its pattern for the rewriter', () => {
    expect(effectsOf('data', '[ { rewrite: { header: From, match: "*@smtp.weirdal.com", to: "&@weirdal.com" } } ]')).toEqual([
      { type: 'rewriteHeader', rule: 'r', header: 'From', match: '*@smtp.weirdal.com', to: '&@weirdal.com' },
    ]);
    expect(effectsOf('data', '[ { rewrite: { header: "X-Internal-*", match: "*", to: "" } } ]')).toEqual([
      { type: 'rewriteHeader', rule: 'r', header: 'X-Internal-*', match: '*', to: '' },
    ]);
  });

  it('rewrite of the envelope sender is computed here', () => {
    const act = '[ { rewrite: { sender: { match: "*@*.acme.example", to: "&1@acme.example" } } } ]';
    expect(effectsOf('mail', act, { sender: 'penny@dimension.acme.example' })).toEqual([
      { type: 'rewriteSender', rule: 'r', from: 'penny@dimension.acme.example', to: 'penny@acme.example' },
    ]);
    expect(effectsOf('mail', act, { sender: 'penny@acme.example' })).toEqual([]);
    expect(effectsOf('mail', act, { sender: '' })).toEqual([]);
  });

  it('rewrite of recipients: the current one at rcpt, each at data', () => {
    const act = '[ { rewrite: { recipient: { match: "*@old.example", to: "&@new.example" } } } ]';
    expect(effectsOf('rcpt', act, { recipient: 'bob@old.example' })).toEqual([{ type: 'rewriteRecipient', rule: 'r', from: 'bob@old.example', to: 'bob@new.example' }]);
    expect(effectsOf('data', act, { recipients: ['a@old.example', 'b@x.example'] })).toEqual([{ type: 'rewriteRecipient', rule: 'r', from: 'a@old.example', to: 'a@new.example' }]);
  });

  it('masquerade, subject, bcc, route, stripHtml, log', () => {
    expect(effectsOf('data', '[ { masquerade: { domain: ACME.example, headers: [From, Sender, Reply-To], messageId: true } } ]')).toEqual([
      { type: 'masquerade', rule: 'r', domain: 'acme.example', headers: ['From', 'Sender', 'Reply-To'], messageId: true },
    ]);
    expect(effectsOf('data', '[ { masquerade: { domain: acme.example } } ]')).toEqual([
      { type: 'masquerade', rule: 'r', domain: 'acme.example', headers: ['From', 'Sender', 'Reply-To'], messageId: false },
    ]);
    expect(effectsOf('data', '[ { subject: { prefix: "[SPAM] " } } ]')).toEqual([{ type: 'subjectPrefix', rule: 'r', prefix: '[SPAM] ' }]);
    // The prefix is a template, as a header added is; one that fills to nothing tags nothing.
    expect(effectsOf('data', '[ { subject: { prefix: "[SPAM {spam.score}] " } } ]', {}, { spam: { score: 6.1 } })).toEqual([{ type: 'subjectPrefix', rule: 'r', prefix: '[SPAM 6.1] ' }]);
    expect(effectsOf('data', '[ { subject: { prefix: "{virus}" } } ]')).toEqual([]);
    expect(effectsOf('mail', '[ { bcc: archive@acme.example } ]')).toEqual([{ type: 'bcc', rule: 'r', address: 'archive@acme.example' }]);
    expect(effectsOf('rcpt', '[ { route: { via: [10.0.0.10, 10.0.0.11] } } ]', { recipient: 'a@b.example' })).toEqual([{ type: 'route', rule: 'r', via: ['10.0.0.10', '10.0.0.11'] }]);
    expect(effectsOf('data', '[ { stripHtml: [script, Applet] } ]')).toEqual([{ type: 'stripHtml', rule: 'r', elements: ['script', 'applet'] }]);
    expect(effectsOf('data', '[ { log: "hello {client} {helo} {virus}" } ]', {}, { virus: { names: ['EICAR'] } })).toEqual([{ type: 'log', rule: 'r', text: 'hello 203.0.113.9 mail.example.org EICAR' }]);
  });

  it('leaves spam fields empty for a message spamd was not given, not "0 No" (trial I)', () => {
    const unscanned = { spam: { score: 0, symbols: [], notScanned: '3000000 bytes is over the 2097152 byte limit' } };
    expect(effectsOf('data', '[ { headers: { add: { X-Spam: "{spam.score}/{spam.threshold} {spam.status}" } } } ]', {}, unscanned)).toEqual([{ type: 'addHeader', rule: 'r', name: 'X-Spam', value: '/ ' }]);
  });

  it("names in each part's notice the viruses of that part, when the parts were scanned one by one (trial I)", () => {
    const p = loadPolicy('version: 1\nnotice: "{filename}: {virus}"\ndata: { rules: [ { id: v, when: { part: { virus: true } }, do: [ strip ] } ] }\n', 'p.yaml');
    const parts = [part({ path: '2', type: 'application/octet-stream', filename: 'clam.exe' }), part({ path: '3', type: 'application/zip', filename: 'in.zip' }),
      part({ path: '3/eicar.com', type: 'application/octet-stream', filename: 'eicar.com', inArchive: true, carrier: '3' })];
    const virus = { names: ['Clam', 'Eicar'], parts: { '2': ['Clam'], '3': ['Eicar'] } };
    const notices = evaluate(p, 'data', input({ message: message({ parts }) }), { virus }).effects.map((e) => (e as { notice?: string }).notice);
    expect(notices).toEqual(['clam.exe: Clam', 'in.zip: Eicar']);
  });

  it('quarantine carries its reason and who to notify', () => {
    const p = loadPolicy('version: 1\nlists: { admins: [a@acme.example] }\ndata: { rules: [ { id: v, do: [ { quarantine: { reason: virus, notify: ["@admins", b@acme.example] } } ] } ] }\n', 'p.yaml');
    expect(evaluate(p, 'data', input({ message: message() }), {}).quarantine).toEqual({ reason: 'virus', notify: ['a@acme.example', 'b@acme.example'] });
  });
});
