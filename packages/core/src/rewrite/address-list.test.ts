import { mapAddresses } from './address-list';

const upper = (a: string): string => a.toUpperCase();

describe('mapAddresses: every addr-spec, whatever stands around it', () => {
  it.each([
    ['a quoted display name with a comma and an @', '"Al@x, Jr" <al@x>', '"Al@x, Jr" <AL@X>'],
    ['a group with a comment', '(c) team: a@x, (note) b@y;', '(c) team: A@X, (note) B@Y;'],
    ['a quoted local part', '"a b"@x', '"A B"@X'],
    // A quote inside a comment opens no quoted string (RFC 5322 3.2.2): the address after it
    // is still an address, so masquerade cannot be dodged by `(5" disk)`.
    ['a quote inside a comment', 'Penny (the "boss) <penny@hub.x>', 'Penny (the "boss) <PENNY@HUB.X>'],
    ['a nested comment with an escaped paren and a quote', 'P (a (b\\) ") c) <p@x>, q@y', 'P (a (b\\) ") c) <P@X>, Q@Y'],
    ['a parenthesis inside a quoted display name', '"Al (x" <al@x>, b@y', '"Al (x" <AL@X>, B@Y'],
    // CFWS may stand around the @ (RFC 5322 3.4.1); the address is given to fn without it.
    ['a comment and spaces around the @', 'P <penny (boss) @ hub.x>, q@y', 'P <PENNY@HUB.X>, Q@Y'],
    // Text in a comment is a note, not a mailbox: kept as written.
    ['an address written in a comment', 'Al <al@x> (was al@old.x), (see (also b@y)) c@z', 'Al <AL@X> (was al@old.x), (see (also b@y)) C@Z'],
  ])('%s', (_name, value, expected) => {
    expect(mapAddresses(value, upper)).toBe(expected);
  });
});

describe('mapAddresses: an address fn leaves alone keeps its bytes', () => {
  it('keeps the comment in it', () => {
    expect(mapAddresses('P <penny (boss) @ hub.x>', () => undefined)).toBe('P <penny (boss) @ hub.x>');
  });
});

describe('mapAddresses: time linear in the value', () => {
  it.each([
    ['one long word with no @', `${'a'.repeat(100_000)} <x@y>`],
    ['many empty quoted strings', `${'"" '.repeat(100_000)}<x@y>`],
  ])('%s (a From field an outsider sends must not stall the rewriter)', (_name, value) => {
    const start = process.hrtime.bigint();
    expect(mapAddresses(value, upper).endsWith('<X@Y>')).toBe(true);
    expect(Number(process.hrtime.bigint() - start) / 1e6).toBeLessThan(500);
  });
});

describe('mapAddresses: an address in raw UTF-8 (RFC 6532) is one address', () => {
  // Field values are binary strings, one character per octet, as mailsplit reads them.
  const binary = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');
  it.each([
    ['a local part', 'Jürgen <jürgen@hub.x>, b@y', 'Jürgen <[jürgen@hub.x]>, [b@y]'],
    ['a domain', 'jm@müller.example (München)', '[jm@müller.example] (München)'],
    ['a display name without quotes before it', 'Jürgen Müller <jm@x>', 'Jürgen Müller <[jm@x]>'],
  ])('%s', (_name, value, expected) => {
    expect(mapAddresses(binary(value), (a) => `[${a}]`)).toBe(binary(expected));
  });
});
