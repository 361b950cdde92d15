import { compileTextTemplate, type TextTemplate } from './text-template';

describe('compileTextTemplate', () => {
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
