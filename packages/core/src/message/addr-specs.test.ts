import { addrSpecsOf } from './addr-specs';

describe('addrSpecsOf: the addresses an address header names', () => {
  it.each([
    ['a bare address', 'bob@acme.example', ['bob@acme.example']],
    ['a name and an angle-addr', 'Bob <bob@acme.example>, carol@acme.example', ['bob@acme.example', 'carol@acme.example']],
    ['a quoted local part with a space', '"john doe"@example.net', ['"john doe"@example.net']],
    ['a quoted name with a comma, then a quoted local part', '"j smith"@acme.example, "Smith, J" <"j.smith"@acme.example>', ['"j smith"@acme.example', '"j.smith"@acme.example']],
    ['quoted names and comments holding @', '"x@y" <real@acme.example> (old@acme.example)', ['real@acme.example']],
    ['a comment holding a quote', 'a@acme.example (5" disk), b@acme.example', ['a@acme.example', 'b@acme.example']],
    ['a group', 'team: dave@acme.example, Bob <bob@acme.example>;, x@acme.example', ['dave@acme.example', 'bob@acme.example', 'x@acme.example']],
    ['a source route', '<@relay.example:al@acme.example>', ['al@acme.example']],
    ['white space and a comment around the @ (obsolete syntax)', 'penny (x) @ hub.example', ['penny@hub.example']],
    ['a domain literal', 'al@[192.0.2.1]', ['al@[192.0.2.1]']],
    ['a UTF-8 local part', 'Jörg <jörg@bücher.example>', ['jörg@bücher.example']],
    ['the null path and a local part alone', '<>, postmaster', []],
    ['a name without quotes before a bare address', 'John Doe john@acme.example', ['john@acme.example']],
  ])('%s', (_name, value, expected) => {
    expect(addrSpecsOf(value).addresses).toEqual(expected);
  });

  it.each([
    ['undisclosed-recipients:;', ['undisclosed-recipients']],
    ['Undisclosed recipients: ;', ['Undisclosed recipients']],
    ['list: ; a@acme.example', ['list']],
    ['team: a@acme.example;', []],
    ['open: (never closed)', ['open']],
  ])('empty groups of %j', (value, expected) => {
    expect(addrSpecsOf(value).emptyGroups).toEqual(expected);
  });

  // A complexity guard (eval, test and replay read what anyone sent): a scan quadratic in the
  // length takes minutes here and fails at jest's timeout; `npm run bench:adversarial` measures it.
  test('a long word or many quotes take no time', () => {
    const N = 400_000;
    expect(addrSpecsOf(`${'a'.repeat(N)} <real@acme.example>`).addresses).toEqual(['real@acme.example']);
    expect(addrSpecsOf('"'.repeat(N + 1)).addresses).toEqual([]);
    expect(addrSpecsOf('('.repeat(N)).addresses).toEqual([]);
    expect(addrSpecsOf('a@'.repeat(N / 2)).addresses.length).toBeLessThanOrEqual(N / 2);
  });
});
