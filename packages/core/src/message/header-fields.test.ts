import { headerText, parseHeaderLine } from './header-fields';

/** A header as mailsplit hands it over: its bytes as a latin1 string. */
const bytes = (text: string, encoding: BufferEncoding = 'utf8'): string => Buffer.from(text, encoding).toString('latin1');

describe('headerText: header bytes shown as text', () => {
  it('reads raw 8-bit UTF-8 as UTF-8', () => {
    expect(headerText(bytes('Jürgen Müller <jm@acme.example>'))).toBe('Jürgen Müller <jm@acme.example>');
    expect(headerText(bytes('日本語 — Größe'))).toBe('日本語 — Größe');
  });

  it('leaves ASCII, and bytes that are not UTF-8 (latin1 mail), as they are', () => {
    expect(headerText('plain ascii')).toBe('plain ascii');
    const latin1 = bytes('Jürgen', 'latin1');
    expect(headerText(latin1)).toBe('Jürgen');
    expect(headerText(`${bytes('ü')}\xff`)).toBe(`${bytes('ü')}\xff`);
  });

  it('keeps a U+FFFD or a BOM the sender really wrote', () => {
    expect(headerText(bytes('a\uFFFDb'))).toBe('a\uFFFDb');
    expect(headerText(bytes('\uFEFFx'))).toBe('\uFEFFx');
  });
});

describe('parseHeaderLine', () => {
  it('gives name, value and decoded value as text', () => {
    expect(parseHeaderLine(bytes('From: Jürgen <jm@acme.example>\r\n'))).toEqual({ name: 'From', value: 'Jürgen <jm@acme.example>', decoded: 'Jürgen <jm@acme.example>' });
    expect(parseHeaderLine('Subject: =?utf-8?B?aMOpbGxv?=\r\n')).toEqual({ name: 'Subject', value: '=?utf-8?B?aMOpbGxv?=', decoded: 'héllo' });
  });
});
