import { loadPolicy } from './load';

/** "line:col: message" of each warning a policy that loads gives. */
function warnings(text: string): string[] {
  return loadPolicy(text, 'policy.yaml').warnings.map((w) => `${w.line}:${w.col}: ${w.message}`);
}

describe('lint: hidden ESMTP keywords', () => {
  it('warns about a near miss of a real keyword, which would leave the real one offered', () => {
    expect(warnings('version: 1\nsmtp: { hideKeywords: [DNS, etrn, Pipelinig] }\n')).toEqual([
      '2:24: `DNS` is not an ESMTP keyword, so hiding it hides nothing; did you mean `DSN`?',
      '2:35: `Pipelinig` is not an ESMTP keyword, so hiding it hides nothing; did you mean `PIPELINING`?',
    ]);
  });

  it('accepts real keywords, vendor ones (ONEX, XUSR) and words close to none', () => {
    expect(warnings('version: 1\nsmtp: { hideKeywords: [DSN, ONEX, ETRN, XUSR, AUTH, X-MYEXT] }\n')).toEqual([]);
  });
});
