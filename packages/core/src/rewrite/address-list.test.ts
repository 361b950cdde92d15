import { Readable } from 'node:stream';
import { encodePhrases, mapAddresses } from './address-list';
import { withoutMarked } from './mailbox-list';
import { rewrite } from './rewrite';

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
    // CFWS may stand around the @ (RFC 5322 3.4.1); the address is given to fn without it, and
    // its comments keep their text after the new address (CFWS may follow the domain).
    ['a comment and spaces around the @', 'P <penny (boss) @ hub.x>, q@y', 'P <PENNY@HUB.X (boss)>, Q@Y'],
    ['a comment before the @ of a bare address', 'al(comment)@smtp.x, b@y', 'AL@SMTP.X (comment), B@Y'],
    ['comments on both sides of the @', '<a (one)@(two) x>', '<A@X (one) (two)>'],
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

// Complexity guards, not speed measurements: on these inputs a scan quadratic in the length
// takes minutes and the test fails at jest's timeout; a linear one, milliseconds. How long they
// take, and how that grows with the length, is measured by `npm run bench:adversarial`.
const N = 400_000;

describe('mapAddresses: time linear in the value', () => {
  it.each([
    ['one long word with no @', `${'a'.repeat(N)} <x@y>`],
    ['many empty quoted strings', `${'"" '.repeat(N)}<x@y>`],
    ['many domain literals never closed', `${'a@['.repeat(N)} <x@y>`],
  ])('%s', (_name, value) => {
    expect(mapAddresses(value, upper).endsWith('<X@Y>')).toBe(true);
  });
});

describe('encodePhrases: time linear in a run of white space', () => {
  it('keeps the spaces and encodes the name', () => {
    const value = `${' '.repeat(2 * N)}M\xfcller <m@acme.example>`;
    const encode = (t: string): string => `=?utf-8?B?${Buffer.from(t, 'latin1').toString('base64')}?=`;
    expect(encodePhrases(value, encode)).toBe(`${' '.repeat(2 * N)}=?utf-8?B?TfxsbGVy?= <m@acme.example>`);
  });
});

describe('withoutMarked: time linear in the list', () => {
  it('drops the marked address of 200,000', () => {
    const list = Array.from({ length: N / 2 }, (_, i) => `u${i}@acme.example`);
    expect(withoutMarked([...list.slice(0, 10), 'MARK', ...list.slice(10)].join(', '), 'MARK') === list.join(', ')).toBe(true);
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

describe('an address rewrite keeps a comment written inside the address', () => {
  async function headerOf(message: string, effects: Parameters<typeof rewrite>[1]): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of rewrite(Readable.from([Buffer.from(message)]), effects)) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('latin1').split('\r\n\r\n')[0]!;
  }

  it('moves it after the new address (rewrite), and takes it out with a mailbox rewritten to nothing', async () => {
    const message = 'From: a@b.example\r\nTo: al(comment)@smtp.weirdal.com, bob@acme.example\r\nCc: x (note) @smtp.weirdal.com, bob@acme.example\r\n\r\nbody\r\n';
    const head = await headerOf(message, [
      { type: 'rewriteHeader', rule: 'r', header: 'To', match: '*@smtp.weirdal.com', to: '&@weirdal.com' },
      { type: 'rewriteHeader', rule: 'r', header: 'Cc', match: '*@smtp.weirdal.com', to: '' },
    ]);
    expect(head).toContain('To: al@weirdal.com (comment), bob@acme.example');
    expect(head).toContain('Cc: bob@acme.example');
  });

  it('keeps it through masquerade, with our host names taken out of it as from any comment', async () => {
    const message = 'From: penny(at dimension.acme.example)@dimension.acme.example\r\nTo: bob@acme.example\r\n\r\nbody\r\n';
    const head = await headerOf(message, [{ type: 'masquerade', rule: 'm', domain: 'acme.example', headers: ['From'], messageId: false }]);
    expect(head).toContain('From: penny@acme.example (at acme.example)');
  });
});
