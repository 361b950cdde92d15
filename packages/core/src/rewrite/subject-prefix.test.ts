import { Readable } from 'node:stream';
import { Libmime } from 'libmime';
import type { Effect } from '../engine/effect';
import { rewrite } from './rewrite';
import { prefixSubject } from './subject-prefix';

const libmime = new Libmime();
const read = (value: string): string => libmime.decodeWords(value);

describe('prefixSubject: the subject reads prefix + subject once decoded', () => {
  it.each([
    ['plain prefix, plain subject', '[SPAM] ', 'hi', '[SPAM] hi'],
    ['plain prefix, encoded subject', '[SPAM] ', '=?utf-8?B?aMOpbGxv?=', '[SPAM] héllo'],
    ['plain prefix without a space, encoded subject', '[SPAM]', '=?utf-8?B?aMOpbGxv?=', '[SPAM]héllo'],
    ['encoded prefix, plain subject', '[SPÄM] ', 'hi', '[SPÄM] hi'],
    // The space between two encoded words is not text: it must not be lost.
    ['encoded prefix, encoded subject', '[SPÄM] ', '=?utf-8?B?w6TDtsO8?=', '[SPÄM] äöü'],
    ['encoded prefix, subject of two charsets', '[SPÄM] ', '=?utf-8?Q?h=C3=A9llo?= =?iso-8859-1?Q?_w=F6rld?=', '[SPÄM] héllo wörld'],
  ])('%s', (_name, prefix, subject, expected) => {
    expect(read(prefixSubject(subject, prefix)!)).toBe(expected);
  });

  it.each([
    ['the same prefix', '[SPAM] hi'],
    ['another case', '[spam] hi'],
    ['the prefix as an encoded word', '=?utf-8?B?W1NQQU1dIGhp?='],
    ['the prefix split over two encoded words', '=?utf-8?B?W1NQ?= =?utf-8?B?QU1dIGhp?='],
  ])('adds nothing to a subject that starts with %s', (_name, subject) => {
    expect(prefixSubject(subject, '[SPAM] ')).toBeUndefined();
  });

  it.each([
    ['in raw 8-bit UTF-8', '[SPÄM] hi'],
    ['in raw 8-bit UTF-8 before an encoded word', '[SPÄM] =?utf-8?B?aMOpbGxv?='],
    ['as an encoded word', '=?utf-8?Q?=5BSP=C3=84M=5D_hi?='],
  ])('adds nothing to a subject that starts with a non-ASCII prefix %s', (_name, subject) => {
    // Values are binary strings, one character per octet, as mailsplit reads them.
    expect(prefixSubject(Buffer.from(subject, 'utf8').toString('latin1'), '[SPÄM] ')).toBeUndefined();
  });
});

describe('rewrite: subject prefix', () => {
  async function run(message: string, effects: Effect[]): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of rewrite(Readable.from([Buffer.from(message)]), effects)) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('latin1');
  }

  it('gives a message without a Subject one that is the prefix (a filter on [SPAM] must see it)', async () => {
    const out = await run('From: a@b.example\r\nTo: c@acme.example\r\n\r\nbody\r\n', [{ type: 'subjectPrefix', rule: 's', prefix: '[SPAM] ' }]);
    expect(out).toBe('From: a@b.example\r\nTo: c@acme.example\r\nSubject: [SPAM]\r\n\r\nbody\r\n');
  });

  it('puts that Subject before a line that is no field, where readers start the body', async () => {
    const out = await run('From: a@b.example\r\nthis line starts the body\r\nmore\r\n', [{ type: 'subjectPrefix', rule: 's', prefix: '[SPAM] ' }]);
    expect(out).toBe('From: a@b.example\r\nSubject: [SPAM]\r\nthis line starts the body\r\nmore\r\n\r\n');
  });

  it('does not prefix again a raw UTF-8 subject that already starts with a non-ASCII prefix', async () => {
    const message = 'From: a@b.example\r\nSubject: [Späm] schon\r\n\r\nbody\r\n';
    const out = await run(message, [{ type: 'subjectPrefix', rule: 's', prefix: '[Späm] ' }]);
    expect(out).toBe(Buffer.from(message).toString('latin1'));
  });

  it('gives an empty message a header block of the new fields alone', async () => {
    const out = await run('', [{ type: 'addHeader', rule: 'a', name: 'X-Policy', value: 'a' }, { type: 'subjectPrefix', rule: 's', prefix: '[SPAM] ' }]);
    expect(out).toBe('X-Policy: a\r\nSubject: [SPAM]\r\n\r\n');
  });
});
