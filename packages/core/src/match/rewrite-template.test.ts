import { compileRewriteTemplate } from './rewrite-template';

describe('compileRewriteTemplate', () => {
  it('fills & with the first wildcard', () => {
    expect(compileRewriteTemplate('&@weirdal.com').fill(['Al'])).toBe('Al@weirdal.com');
  });
  it('fills numbered wildcards', () => {
    const t = compileRewriteTemplate('&2.&1@acme.example');
    expect(t.highest).toBe(2);
    expect(t.fill(['penny', 'dimension'])).toBe('dimension.penny@acme.example');
  });
  it('keeps \\& as a literal ampersand', () => {
    const t = compileRewriteTemplate('R\\&D <&>');
    expect(t.fill(['x'])).toBe('R&D <x>');
    expect(t.highest).toBe(1);
  });
  it('has no wildcard in a plain text', () => {
    expect(compileRewriteTemplate('').highest).toBe(0);
    expect(compileRewriteTemplate('').fill([])).toBe('');
  });
});
