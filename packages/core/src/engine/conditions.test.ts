import type { Facts } from '../facts/facts';
import type { StageInput } from './input';
import type { Stage } from './stage';
import { loadPolicy } from '../policy/load';
import { evaluate } from './evaluate';
import { CLIENT, input, message, part } from './__fixtures__/model';

/** True when a one-rule policy's `when` holds at `stage` for this input and facts. */
function holds(stage: Stage, when: string, over: Partial<StageInput> = {}, facts: Facts = {}, extra = ''): boolean {
  const p = loadPolicy(`version: 1\n${extra}\n${stage}:\n  rules:\n    - id: r\n      when: ${when}\n      do: [ { log: x } ]\n`, 'policy.yaml');
  const d = evaluate(p, stage, input(over), facts);
  if (d.trace[0]!.note) throw new Error(d.trace[0]!.note);
  return d.fired.includes('r');
}

describe('conditions', () => {
  it('direction: outbound for outbound.clients, authenticated clients, or the host saying so', () => {
    const lists = 'lists: { hubs: [10.0.0.10, 10.0.1.0/24] }\noutbound: { clients: ["@hubs"] }';
    expect(holds('connect', '{ direction: outbound }', { client: { ...CLIENT, ip: '10.0.1.5' } }, {}, lists)).toBe(true);
    expect(holds('connect', '{ direction: outbound }', {}, {}, lists)).toBe(false);
    expect(holds('connect', '{ direction: inbound }', {}, {}, lists)).toBe(true);
    expect(holds('connect', '{ direction: outbound }', { client: { ...CLIENT, authenticated: true } }, {}, lists)).toBe(true);
    expect(holds('connect', '{ direction: outbound }', { direction: 'outbound' }, {}, lists)).toBe(true);
    expect(holds('connect', '{ direction: inbound }', { direction: 'inbound', client: { ...CLIENT, authenticated: true } })).toBe(true);
  });

  it('client: IP, CIDR, lists, negation, and sub-keys', () => {
    expect(holds('connect', '{ client: "203.0.113.0/24" }')).toBe(true);
    expect(holds('connect', '{ client: [198.51.100.1, 203.0.113.9] }')).toBe(true);
    expect(holds('connect', '{ client: { not: "203.0.113.0/24" } }')).toBe(false);
    expect(holds('connect', '{ client: { tls: true } }')).toBe(false);
    expect(holds('connect', '{ client: { ip: 203.0.113.9, tls: false } }')).toBe(true);
    expect(holds('connect', '{ client: { hostname: "*.dyn.example" } }', { client: { ...CLIENT, hostname: 'host-1.DYN.example' } })).toBe(true);
    expect(holds('connect', '{ client: { authenticated: true, user: "bob" } }', { client: { ...CLIENT, authenticated: true, user: 'bob' } })).toBe(true);
  });

  it('helo: pattern, fqdn, resolves', () => {
    expect(holds('helo', '{ helo: "*.example.org" }')).toBe(true);
    expect(holds('helo', '{ helo: { fqdn: false } }', { helo: 'localhost' })).toBe(true);
    expect(holds('helo', '{ helo: { fqdn: false } }')).toBe(false);
    expect(holds('helo', '{ helo: { resolves: false } }', {}, { resolves: { 'mail.example.org': false } })).toBe(true);
    expect(holds('helo', '{ helo: { resolves: false } }', {}, { resolves: { 'mail.example.org': true } })).toBe(false);
    expect(() => holds('helo', '{ helo: { resolves: false } }')).toThrow(/resolves mail.example.org unavailable/);
  });

  it('sender: address patterns, the null sender, domain, fqdn and resolves', () => {
    expect(holds('mail', '{ sender: "*@example.org" }')).toBe(true);
    expect(holds('mail', '{ sender: "<>" }', { sender: '' })).toBe(true);
    expect(holds('mail', '{ sender: "<>" }')).toBe(false);
    expect(holds('mail', '{ sender: "*" }', { sender: '' })).toBe(false);
    expect(holds('mail', '{ sender: { domain: "*.example.org" } }', { sender: 'a@mx.Example.org' })).toBe(true);
    expect(holds('mail', '{ sender: { fqdn: false } }', { sender: 'a@localhost' })).toBe(true);
    expect(holds('mail', '{ sender: { fqdn: false } }', { sender: '' })).toBe(false);
    expect(holds('mail', '{ sender: { resolves: false } }', {}, { resolves: { 'example.org': false } })).toBe(true);
    expect(holds('mail', '{ sender: { resolves: false } }', { sender: '' })).toBe(false);
  });

  it('recipient: the current one at rcpt, any accepted one at data', () => {
    expect(holds('rcpt', '{ recipient: "*@acme.example" }', { recipient: 'bob@acme.example' })).toBe(true);
    expect(holds('rcpt', '{ recipient: "*@acme.example" }', { recipient: 'bob@other.example', recipients: ['a@acme.example'] })).toBe(false);
    expect(holds('data', '{ recipient: "*@acme.example" }', { recipients: ['x@other.example', 'bob@acme.example'], message: message() })).toBe(true);
    expect(holds('data', '{ recipient: { domain: acme.example } }', { recipients: ['x@other.example'], message: message() })).toBe(false);
    // One recipient's missing DNS answer does not hide another that matches.
    expect(holds('data', '{ recipient: { resolves: false } }', { recipients: ['a@unknown.example', 'b@nx.example'], message: message() }, { resolves: { 'nx.example': false } })).toBe(true);
  });

  it('recipients: at rcpt the ones accepted so far and the one being decided, at data all accepted', () => {
    const third = { recipient: 'c@x.example', recipients: ['a@x.example', 'b@x.example'] };
    expect(holds('rcpt', '{ recipients: { gt: 2 } }', third)).toBe(true);
    expect(holds('rcpt', '{ recipients: { gt: 3 } }', third)).toBe(false);
    expect(holds('rcpt', '{ recipients: { eq: 1 } }', { recipient: 'a@x.example' })).toBe(true);
    expect(holds('data', '{ recipients: { gt: 2 } }', { recipients: ['a@x.example', 'b@x.example'], message: message() })).toBe(false);
    expect(holds('data', '{ recipients: { eq: 2 } }', { recipients: ['a@x.example', 'b@x.example'], message: message() })).toBe(true);
  });

  it('size: bytes with 1024-based units', () => {
    expect(holds('data', '{ size: { gt: 1000KB } }', { message: message({ size: 1000 * 1024 + 1 }) })).toBe(true);
    expect(holds('data', '{ size: { gt: 1000KB } }', { message: message({ size: 1000 * 1024 }) })).toBe(false);
    expect(holds('data', '{ size: { lte: 1MB } }', { message: message({ size: 1024 * 1024 }) })).toBe(true);
  });

  it('header: presence, value (decoded or raw), case-insensitive unless a re:/.../ says otherwise', () => {
    const msg = message({ headers: [['x-mailer', 'Spam Cannon 3'], ['Subject', 'hello']] });
    expect(holds('data', '{ header: { name: X-Mailer } }', { message: msg })).toBe(true);
    expect(holds('data', '{ header: { name: X-Spam } }', { message: msg })).toBe(false);
    expect(holds('data', '{ header: { name: X-Mailer, value: "Spam Cannon*" } }', { message: msg })).toBe(true);
    expect(holds('data', '{ header: { name: X-Mailer, value: "spam cannon*" } }', { message: msg })).toBe(true);
    expect(holds('data', '{ header: { name: X-Mailer, value: "re:/cannon/" } }', { message: msg })).toBe(false);
    expect(holds('data', '{ header: { name: X-Mailer, value: "re:/cannon/i" } }', { message: msg })).toBe(true);
    const encoded = { size: 1, parts: [], malformed: [], headers: [{ name: 'Subject', value: '=?utf-8?B?VklBR1JB?=', decoded: 'VIAGRA' }] };
    expect(holds('data', '{ header: { name: subject, value: "*VIAGRA*" } }', { message: encoded })).toBe(true);
  });

  it('malformed: true, false, one kind, several kinds', () => {
    const bad = message({ malformed: [{ kind: 'bad-header', path: '', detail: 'line without colon' }] });
    expect(holds('data', '{ malformed: true }', { message: bad })).toBe(true);
    expect(holds('data', '{ malformed: false }', { message: bad })).toBe(false);
    expect(holds('data', '{ malformed: false }', { message: message() })).toBe(true);
    expect(holds('data', '{ malformed: [bad-header] }', { message: bad })).toBe(true);
    expect(holds('data', '{ malformed: duplicate-boundary }', { message: bad })).toBe(false);
  });

  it('part: type, filename, size and the flags', () => {
    const msg = message({
      parts: [
        part({ path: '1', type: 'text/plain' }),
        part({ path: '2', type: 'application/zip', filename: 'a.zip', size: 5000 }),
        part({ path: '2/x/invoice.pdf.exe', type: 'application/x-msdownload', filename: 'x/invoice.pdf.exe', inArchive: true, doubleExtension: true }),
        part({ path: '3', type: 'application/pdf', filename: 'r\u202Efdp.exe', nameMismatch: true }),
      ],
    });
    const on = { message: msg };
    expect(holds('data', '{ part: { type: application/ZIP } }', on)).toBe(true);
    expect(holds('data', '{ part: { type: { not: ["text/*", "application/*"] } } }', on)).toBe(false);
    expect(holds('data', '{ part: { filename: "*.exe", inArchive: true } }', on)).toBe(true);
    expect(holds('data', '{ part: { doubleExtension: true, filename: ["*.exe", "*.scr"] } }', on)).toBe(true);
    expect(holds('data', '{ part: { nameMismatch: true } }', on)).toBe(true);
    expect(holds('data', '{ part: { encrypted: true } }', on)).toBe(false);
    expect(holds('data', '{ part: { size: { gt: 4KB } } }', on)).toBe(true);
    expect(holds('data', '{ part: { virus: true } }', on, { virus: { names: ['X'], parts: { '2/x/invoice.pdf.exe': ['X'] } } })).toBe(true);
    expect(holds('data', '{ part: { virus: true } }', on, { virus: { names: [], parts: {} } })).toBe(false);
    expect(() => holds('data', '{ part: { virus: true } }', on, { virus: { names: [] } })).toThrow(/per part/);
    // Found in the message, in no part scanned alone (uuencoded in a text body): unknown, not clean.
    const unplaced = { virus: { names: ['Eicar'], parts: { '1': [], '2': [] } } };
    expect(() => holds('data', '{ part: { virus: true } }', on, unplaced)).toThrow(/found Eicar in the message but in none of its parts scanned alone/);
    expect(() => holds('data', '{ part: { virus: false } }', on, unplaced)).toThrow(/which part holds it is not known/);
    // The scan is only needed for parts the other sub-keys matched.
    expect(holds('data', '{ part: { filename: "*.scr", virus: true } }', on, {})).toBe(false);
  });

  it('part filename with not: any name outside the allowlist decides', () => {
    const msg = message({ parts: [part({ path: '2', type: 'application/octet-stream', filenames: ['ok.pdf', 'evil.exe'] })] });
    expect(holds('data', '{ part: { filename: { not: "*.pdf" } } }', { message: msg })).toBe(true);
    expect(holds('data', '{ part: { filename: { not: ["*.pdf", "*.exe"] } } }', { message: msg })).toBe(false);
  });

  it('dnsbl: any zone listing the client, with an optional result', () => {
    const facts: Facts = { dnsbl: { 'zen.example': ['127.0.0.4'], 'bl.example': [] } };
    expect(holds('connect', '{ dnsbl: [zen.example, bl.example] }', {}, facts)).toBe(true);
    expect(holds('connect', '{ dnsbl: bl.example }', {}, facts)).toBe(false);
    expect(holds('connect', '{ dnsbl: { zone: zen.example, result: 127.0.0.2 } }', {}, facts)).toBe(false);
    expect(holds('connect', '{ dnsbl: { zone: zen.example, result: 127.0.0.0/29 } }', {}, facts)).toBe(true);
    // A listing decides even when another zone failed; without one, the failure is an error.
    expect(holds('connect', '{ dnsbl: [down.example, zen.example] }', {}, { dnsbl: { ...facts.dnsbl, 'down.example': { error: 'SERVFAIL' } } })).toBe(true);
    expect(() => holds('connect', '{ dnsbl: [down.example, bl.example] }', {}, { dnsbl: { ...facts.dnsbl, 'down.example': { error: 'SERVFAIL' } } })).toThrow(/SERVFAIL/);
  });

  it("sender.rhsbl: the sender's domain in an RHSBL zone; never the null sender; only under sender", () => {
    const facts: Facts = { rhsbl: { 'dbl.example': ['127.0.1.2'], 'rhs.example': [] } };
    const from = (sender: string) => ({ sender });
    expect(holds('mail', '{ sender: { rhsbl: [rhs.example, dbl.example] } }', from('a@spammy.example'), facts)).toBe(true);
    expect(holds('mail', '{ sender: { rhsbl: rhs.example } }', from('a@spammy.example'), facts)).toBe(false);
    expect(holds('mail', '{ sender: { rhsbl: { zone: dbl.example, result: 127.0.1.0/24 } } }', from('a@spammy.example'), facts)).toBe(true);
    expect(holds('mail', '{ sender: { rhsbl: { zone: dbl.example, result: 127.0.0.2 } } }', from('a@spammy.example'), facts)).toBe(false);
    expect(holds('mail', '{ sender: { rhsbl: dbl.example } }', from(''), facts)).toBe(false);
    expect(() => holds('mail', '{ sender: { rhsbl: [down.example, rhs.example] } }', from('a@x.example'), { rhsbl: { ...facts.rhsbl, 'down.example': { error: 'SERVFAIL' } } })).toThrow(/SERVFAIL/);
    expect(() => loadPolicy('version: 1\nrcpt:\n  rules:\n    - id: r\n      when: { recipient: { rhsbl: dbl.example } }\n      do: [ reject ]\n', 'p.yaml')).toThrow(/p\.yaml:5:28: .*`rhsbl` is not known in `recipient`/);
  });

  it('spam: score bounds and symbols', () => {
    const facts: Facts = { spam: { score: 7.5, symbols: ['BAYES_99', 'URIBL_BLACK'] } };
    expect(holds('data', '{ spam: { score: { gte: 5 } } }', { message: message() }, facts)).toBe(true);
    expect(holds('data', '{ spam: { score: { gte: 10 } } }', { message: message() }, facts)).toBe(false);
    expect(holds('data', '{ spam: { symbols: "URIBL_*" } }', { message: message() }, facts)).toBe(true);
  });

  it('spam: a message spamd did not scan (too big) is neither spam nor clean', () => {
    const skipped: Facts = { spam: { score: 0, symbols: [], notScanned: '3000000 bytes is over the 2097152 byte limit' } };
    expect(holds('data', '{ spam: { score: { lt: 1 } } }', { message: message() }, skipped)).toBe(false);
    expect(holds('data', '{ spam: { score: { gte: 5 } } }', { message: message() }, skipped)).toBe(false);
    expect(holds('data', '{ spam: { symbols: "*" } }', { message: message() }, skipped)).toBe(false);
  });

  it('virus: true, false, and name patterns', () => {
    const found: Facts = { virus: { names: ['Win.Test.EICAR_HDB-1'] } };
    expect(holds('data', '{ virus: true }', { message: message() }, found)).toBe(true);
    expect(holds('data', '{ virus: false }', { message: message() }, found)).toBe(false);
    expect(holds('data', '{ virus: false }', { message: message() }, { virus: { names: [] } })).toBe(true);
    expect(holds('data', '{ virus: "*EICAR*" }', { message: message() }, found)).toBe(true);
    expect(holds('data', '{ virus: "Trojan.*" }', { message: message() }, found)).toBe(false);
  });

  it('greylist: the state of this recipient\'s triplet', () => {
    expect(holds('rcpt', '{ greylist: pending }', { recipient: 'bob@acme.example' }, { greylist: { 'bob@acme.example': 'pending' } })).toBe(true);
    expect(holds('rcpt', '{ greylist: pending }', { recipient: 'bob@acme.example' }, { greylist: { 'bob@acme.example': 'pass' } })).toBe(false);
  });

  it('any, all and not combine conditions', () => {
    expect(holds('mail', '{ any: [ { sender: "*@a.example" }, { client: 203.0.113.9 } ] }')).toBe(true);
    expect(holds('mail', '{ all: [ { sender: "*@a.example" }, { client: 203.0.113.9 } ] }')).toBe(false);
    expect(holds('mail', '{ not: { sender: "*@a.example" } }')).toBe(true);
    expect(holds('mail', '{ sender: "*@example.org", not: { any: [ { client: 10.0.0.0/8 } ] } }')).toBe(true);
  });
});
