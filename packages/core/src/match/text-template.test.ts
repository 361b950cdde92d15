import { compileTextTemplate, type TextTemplate } from './text-template';

describe('compileTextTemplate', () => {
  it('fills values inert: line breaks and controls become spaces, bidi overrides are shown', () => {
    const t = compileTextTemplate('removed "{filename}"') as TextTemplate;
    expect(t.fill({ filename: 'a.txt\r\n--BB\r\nContent-Type: application/x-msdownload' })).toBe('removed "a.txt  --BB  Content-Type: application/x-msdownload"');
    expect(t.fill({ filename: 'invoice\u202Efdp.exe' })).toBe('removed "invoice<U+202E>fdp.exe"');
  });

  it('fills known fields and lists them', () => {
    const t = compileTextTemplate('Removed {filename} ({type}) by rule {rule}') as TextTemplate;
    expect(t.fields).toEqual(['filename', 'type', 'rule']);
    expect(t.fill({ filename: 'a.exe', type: 'application/x-msdownload', rule: 'strip-exe' })).toBe('Removed a.exe (application/x-msdownload) by rule strip-exe');
  });
  it('knows dotted fields', () => {
    const t = compileTextTemplate('{spam.score}/{spam.symbols}') as TextTemplate;
    expect(t.fill({ 'spam.score': '7.5', 'spam.symbols': 'A, B' })).toBe('7.5/A, B');
  });
  it('returns the unknown fields', () => {
    expect(compileTextTemplate('{file} {rule} {subject}')).toEqual({ unknown: ['file', 'subject'] });
  });
  it('leaves text without fields alone', () => {
    expect((compileTextTemplate('YES') as TextTemplate).fill({})).toBe('YES');
  });
});
