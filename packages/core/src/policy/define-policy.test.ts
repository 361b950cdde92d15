import { evaluate } from '../engine/evaluate';
import { input } from '../engine/__fixtures__/model';
import { compilePolicy } from './compile';
import { definePolicy } from './define-policy';
import { PolicyError } from './policy-error';

describe('definePolicy', () => {
  it('returns the policy unchanged, ready to compile', () => {
    const raw = definePolicy({
      version: 1,
      lists: { ours: ['acme.example'] },
      rcpt: { rules: [{ id: 'ours', when: { recipient: { domain: '@ours' } }, do: ['accept'] }] },
    });
    const policy = compilePolicy(raw);
    expect(evaluate(policy, 'rcpt', input({ recipient: 'bob@acme.example' }), {}).verdict).toBe('accept');
    expect(definePolicy(raw)).toBe(raw);
  });

  it('is checked by the compiler', () => {
    // @ts-expect-error `prat` is not a condition
    definePolicy({ version: 1, data: { rules: [{ id: 'x', when: { prat: {} }, do: ['strip'] }] } });
    // @ts-expect-error `bounce` is not an action
    definePolicy({ version: 1, data: { rules: [{ id: 'x', do: ['bounce'] }] } });
    // @ts-expect-error version 2 does not exist
    definePolicy({ version: 2 });
    expect(true).toBe(true);
  });

  it('reports compile problems by path when there is no file', () => {
    try {
      compilePolicy(definePolicy({ version: 1, mail: { rules: [{ id: 'x', when: { part: { type: 'text/html' } }, do: ['reject'] }] } }));
      throw new Error('compiled');
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect((err as PolicyError).problems[0]).toMatchObject({ file: '<policy>', rule: 'x', message: expect.stringMatching(/^mail\.rules\[0\]\.when\.part: `part` is not known/) });
      expect((err as PolicyError).code).toBe('MW_POLICY_INVALID');
    }
  });

  it('validates objects from code against the schema too (JavaScript callers have no compiler)', () => {
    const raw = { version: 1, data: { rules: [{ id: 'x', do: ['bounce'] }] } } as unknown as Parameters<typeof compilePolicy>[0];
    expect(() => compilePolicy(raw)).toThrow(/<policy>:0:0: rule `x`: data\.rules\[0\]\.do\[0\]: `bounce` is not allowed/);
  });
});
