import { diskNames, entityFilenames } from './file-name';

describe('diskNames: the names a file may get when it is saved', () => {
  it.each([
    ['a plain name', 'report.pdf', ['report.pdf']],
    ['trailing dots and spaces (Windows drops them)', 'a.exe. ', ['a.exe']],
    ['a NUL before a harmless extension', 'a.exe\u0000.txt', ['a.exe\u0000.txt', 'a.exe', 'a.exe.txt']],
    ['a control character inside the extension', 'a.ex\u0001e', ['a.ex\u0001e', 'a.exe']],
    ['only a NUL', '\u0000', []],
    ['the NTFS data stream suffix', 'cleanup.bat::$DATA', ['cleanup.bat::$DATA', 'cleanup.bat']],
    ['the suffix in another case, after a trailing dot', 'a.exe.::$data', ['a.exe.::$data', 'a.exe']],
  ])('%s', (_name, name, expected) => {
    expect(diskNames(name)).toEqual(expected);
  });
});

describe('entityFilenames: every decoded name, the one that gives the part away first', () => {
  it.each([
    ['a %00 in a plain filename', 'attachment; filename="a.exe%00.txt"'],
    ['a NUL from RFC 2231', "attachment; filename*=utf-8''a%2Eexe%00.txt"],
  ])('%s is also a.exe', (_name, disposition) => {
    expect(entityFilenames('application/octet-stream', disposition)[0]).toBe('a.exe');
  });
});

describe('entityFilenames: a quoted name is read as mailsplit reads it', () => {
  it.each([
    ['a comment after the quoted name', 'attachment; filename="invoice.exe" (scanned)', ['invoice.exe']],
    ['a quote never closed', 'attachment; filename="love-letter.txt', ['love-letter.txt']],
    ['text after the closing quote', 'attachment; filename="a b.exe"x', ['a b.exe']],
    ['an escaped quote inside', 'attachment; filename="say \\"hi\\".exe"', ['say "hi".exe']],
    ['a comment after a token: both readings', 'attachment; filename=invoice.exe (scanned)', ['invoice.exe', 'invoice.exe (scanned)']],
  ])('%s', (_name, disposition, expected) => {
    expect(entityFilenames(undefined, disposition)).toEqual(expected);
  });
});

describe('entityFilenames: comments and white space in parameters (RFC 2045 5.1)', () => {
  it.each([
    ['a comment before the parameter', 'attachment; (c) filename="evil.bat"'],
    ['a comment right after the semicolon', 'attachment;(x)filename=evil.bat'],
    ['a comment before the value', 'attachment; filename=(c)"evil.bat"'],
    ['white space before the star', "attachment; filename *=utf-8''evil.bat"],
    ['a tab before the star and a space after the equals sign', "attachment; filename\t*= utf-8''evil.bat"],
    ['a quote inside an earlier comment', 'attachment; size=3 (it"s); filename="evil.bat"'],
    ['a comment never closed before it, as readers that know no comments read it', 'attachment; x=( ; filename="evil.bat"'],
  ])('%s', (_name, disposition) => {
    expect(entityFilenames(undefined, disposition)).toContain('evil.bat');
  });

  it('a comment in a quoted name is part of the name', () => {
    expect(entityFilenames(undefined, 'attachment; filename="photo (1).jpg"')).toEqual(['photo (1).jpg']);
  });
});
