import { masqueradeAddresses, masqueradeIds } from './masquerade';

const ID = /^<[0-9a-f]{32}@acme\.example>$/;
const mask = (value: string, all: boolean): string => masqueradeIds(value, 'acme.example', 's3cret', all);

describe('masqueradeIds: no internal host name leaves in a Message-ID', () => {
  it.each([
    ['an id', '<1234@hub.dimension.acme.example>'],
    ['an id written without <>', '1234@hub.dimension.acme.example'],
    ['an id without @', '<1234.hub.dimension.acme.example>'],
    ['a quoted local part with a space', '<"a b"@hub.acme.example>'],
    ['an id with a comment naming the host', '<1234@hub.dimension.acme.example> (added by hub.dimension.acme.example)'],
    ['white space around the id', '  <x@HUB.ACME.EXAMPLE>  '],
  ])('Message-ID: %s becomes <hash@domain> alone', (_name, value) => {
    expect(mask(value, true)).toMatch(ID);
  });

  it('hashes an id the same with or without <> and white space (threads keep working)', () => {
    const once = mask('<1234@hub.acme.example>', true);
    expect(mask('1234@hub.acme.example', true)).toBe(once);
    expect(mask(' <1234@hub.acme.example> ', true)).toBe(once);
    expect(mask('<5@x.example> <1234@hub.acme.example>', false)).toBe(`<5@x.example> ${once}`);
  });

  it('References: only ids of our hosts change, also without @; an id hashed already stays', () => {
    const hashed = mask('<1@hub.acme.example>', true);
    expect(mask(`<9@elsewhere.example> <"a b"@hub.acme.example> <77.hub.acme.example> ${hashed}`, false))
      .toMatch(new RegExp(`^<9@elsewhere\\.example> <[0-9a-f]{32}@acme\\.example> <[0-9a-f]{32}@acme\\.example> ${hashed}$`));
  });
});

describe('masqueradeIds: In-Reply-To and References written without <>', () => {
  it('hashes an id of ours without <>, or whose > is missing, as the Message-ID it was', () => {
    expect(mask('<x1@dimension.acme.example', false)).toBe(mask('x1@dimension.acme.example', true));
    expect(mask('r1@dimension.acme.example r2@PENNY-PC <r3@dimension.acme.example>', false))
      .toBe(['r1@dimension.acme.example', 'r2@PENNY-PC', 'r3@dimension.acme.example'].map((id) => mask(id, true)).join(' '));
    expect(mask('r1@hub.acme.example,\r\n\tr2@hub.acme.example', false)).toBe(`${mask('r1@hub.acme.example', true)},\r\n\t${mask('r2@hub.acme.example', true)}`);
  });

  it('leaves ids of other hosts, words without @ and a lone < as they are', () => {
    const value = 'Your message of "Wed" 9@elsewhere.example <CAF=x@mail.gmail.com (Penny) < >';
    expect(mask(value, false)).toBe(value);
  });
});

describe('masqueradeIds: In-Reply-To and References that name a host no public name can be', () => {
  it.each([
    ['a name under .local (RFC 6762)', '<abc@PENNY-PC.corp.local>'],
    ['a single label', '<abc@PENNY-PC>'],
    ['a single label with its final dot', '<abc@penny-pc.>'],
    ['an IPv4 literal', '<abc@[10.0.0.5]>'],
    ['an IPv6 literal', '<abc@[IPv6:fe80::1]>'],
    ['a bare IPv4 address', '<abc@10.0.0.5>'],
    ['.localdomain', '<abc@build.localdomain>'],
    ['.lan', '<abc@nas.lan>'],
    ['.internal (ICANN)', '<abc@hub.internal>'],
    ['.intranet', '<abc@x.intranet>'],
    ['.corp', '<abc@exch01.corp>'],
    ['.home', '<abc@pc.home>'],
    ['home.arpa (RFC 8375)', '<abc@pc.home.arpa>'],
    ['home.arpa itself', '<abc@home.arpa>'],
    ['.private', '<abc@x.private>'],
    ['.localhost (RFC 6761)', '<abc@app.localhost>'],
    ['.test (RFC 6761)', '<abc@ci.test>'],
    ['.invalid (RFC 6761)', '<abc@x.INVALID>'],
    ['an id without @ under .local', '<1234.penny-pc.corp.local>'],
  ])('%s is hashed as the Message-ID it was', (_name, id) => {
    expect(mask(id, false)).toBe(mask(id, true));
    expect(mask(id, false)).toMatch(ID);
  });

  it.each([
    ['a public host', '<CAF=x@mail.gmail.com>'],
    ['a documentation domain (public in examples)', '<9@elsewhere.example>'],
    ['a name that only ends like an internal suffix', '<1@mylocal.example.net>'],
    ['a label that only starts like one', '<1@local.example.net>'],
    ['a single-label id without @ (no host in it)', '<123456>'],
  ])('%s stays', (_name, id) => {
    expect(mask(id, false)).toBe(id);
  });
});

describe('masqueradeAddresses: our subdomains become the domain', () => {
  it.each([
    ['an address with a display name', '"Penny" <penny@dimension.acme.example>', '"Penny" <penny@acme.example>'],
    ['an obsolete source route through our hosts', '<@hub.acme.example,@relay.example:d@hub.acme.example>', '<@acme.example,@relay.example:d@acme.example>'],
    ['a domain that only ends like ours', 'x@evilacme.example', 'x@evilacme.example'],
    ['a fully qualified host with its final dot', 'penny@Dimension.ACME.example.', 'penny@acme.example'],
    ['the domain itself with its final dot', 'penny@ACME.example.', 'penny@acme.example'],
    ['the domain with its final dot in a display name', '"penny@acme.example." <p@x.example>', '"penny@acme.example" <p@x.example>'],
    ['a display name that is the address', '"penny@dimension.acme.example" <penny@dimension.acme.example>', '"penny@acme.example" <penny@acme.example>'],
    ['a display name in encoded words that holds the address', '=?utf-8?B?cGVubnlAZGlt?= =?utf-8?B?ZW5zaW9uLmFjbWUuZXhhbXBsZQ==?= <p@x.example>', '=?UTF-8?B?cGVubnlAYWNtZS5leGFtcGxl?= <p@x.example>'],
    ['a quoted local part naming our host, of a mailbox elsewhere', '"x@hub.acme.example"@elsewhere.example', '"x@hub.acme.example"@elsewhere.example'],
    ['an encoded display name without our hosts keeps its bytes', '=?utf-8?B?cGVubnlAeC5leGFtcGxl?= <p@dimension.acme.example>', '=?utf-8?B?cGVubnlAeC5leGFtcGxl?= <p@acme.example>'],
    ['a Windows host name with an underscore', 'Penny <penny@penny_pc.corp.acme.example>', 'Penny <penny@acme.example>'],
    ['an underscore host in a comment and a display name', '"p@build_01.acme.example" <p@build_01.acme.example> (via build_01.acme.example)', '"p@acme.example" <p@acme.example> (via acme.example)'],
  ])('%s', (_name, value, expected) => {
    expect(masqueradeAddresses(value, 'acme.example')).toBe(expected);
  });
});

describe('masqueradeAddresses: a comment naming our host', () => {
  it.each([
    // The trial's m53.eml.
    ['after the address', '"penny@dimension.acme.example" <penny@dimension.acme.example> (sent via dimension.acme.example)', '"penny@acme.example" <penny@acme.example> (sent via acme.example)'],
    ['beside other text, which keeps its bytes', 'p@x.example (from Hub.Dimension.ACME.example [10.0.0.10],  "5\\" \\) disk)', 'p@x.example (from acme.example [10.0.0.10],  "5\\" \\) disk)'],
    ['at the end of a sentence', 'p@x.example (sent via dimension.acme.example.)', 'p@x.example (sent via acme.example.)'],
    ['nested in another', 'Penny (a (via hub.acme.example) b) <p@x.example>', 'Penny (a (via acme.example) b) <p@x.example>'],
    ['inside the angle brackets', '<penny (hub.acme.example) @ x.example>', '<penny (acme.example) @ x.example>'],
    ['left open at the end of the field', 'p@x.example (via hub.acme.example', 'p@x.example (via acme.example'],
    ['in encoded words', 'p@x.example (=?utf-8?B?Z2VzZW5kZXQgw7xiZXIgaHViLmRpbWVuc2lvbi5hY21lLmV4YW1wbGU=?=)', 'p@x.example (=?UTF-8?B?Z2VzZW5kZXQgw7xiZXIgYWNtZS5leGFtcGxl?=)'],
    ['of hosts that only end like ours, or the domain itself', 'p@x.example (evilacme.example, acme.example.evil.net, ACME.example)', 'p@x.example (evilacme.example, acme.example.evil.net, ACME.example)'],
    ['in a quoted string, which is no comment', '"Al (hub.acme.example" <p@x.example>', '"Al (hub.acme.example" <p@x.example>'],
  ])('%s', (_name, value, expected) => {
    expect(masqueradeAddresses(value, 'acme.example')).toBe(expected);
  });
});

// Complexity guards, not speed measurements: on these inputs a scan quadratic in the length
// takes minutes and the test fails at jest's timeout; a linear one, milliseconds. How long they
// take, and how that grows with the length, is measured by `npm run bench:adversarial`.
describe('masqueradeAddresses: time linear in a long comment', () => {
  const N = 400_000;
  it.each([
    ['a long label run without dots', `p@x.example (${'a-'.repeat(N)})`, `p@x.example (${'a-'.repeat(N)})`],
    ['a long name of many labels', `p@x.example (${'a.'.repeat(N)}hub.acme.example)`, 'p@x.example (acme.example)'],
    ['many open parentheses', `p@x.example ${'('.repeat(N)}`, `p@x.example ${'('.repeat(N)}`],
  ])('%s', (_name, value, expected) => {
    expect(masqueradeAddresses(value, 'acme.example')).toBe(expected);
  });
});
