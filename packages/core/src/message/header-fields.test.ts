import { headerText, isField, parseHeaderLine } from './header-fields';

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

describe('parseHeaderLine and isField: white space before the colon', () => {
  it('reads `Name :` (RFC 5322 4.5.3 obsolete syntax) as the field Name, as mailsplit does', () => {
    expect(parseHeaderLine('Content-Disposition : attachment; filename="sc.exe"\r\n')).toEqual({ name: 'Content-Disposition', value: 'attachment; filename="sc.exe"', decoded: 'attachment; filename="sc.exe"' });
    expect(parseHeaderLine('Subject\t \t: hi')).toEqual({ name: 'Subject', value: 'hi', decoded: 'hi' });
    expect(parseHeaderLine('Content-Type\r\n : text/plain')).toEqual({ name: 'Content-Type', value: 'text/plain', decoded: 'text/plain' });
    expect(isField('X-Tag : a')).toBe(true);
  });

  it('is no field when white space is inside the name, or there is no name', () => {
    expect(parseHeaderLine('Content Type: text/plain')).toEqual({ problem: expect.stringContaining('header line is not a field') });
    expect(parseHeaderLine(' : x')).toEqual({ problem: expect.stringContaining('header line is not a field') });
    expect(isField('hello world')).toBe(false);
    expect(isField(': x')).toBe(false);
  });
});
