import { PolicyError } from './policy-error';
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

describe('lint: rules that can never run', () => {
  it('points at the rule that cannot run, also when an earlier rule has its id', () => {
    const text = 'version: 1\nrcpt:\n  rules:\n    - id: a\n      do: [ accept ]\n    - id: a\n      do: [ accept ]\n';
    let problems: { line: number; col: number; message: string; severity: string }[] = [];
    try {
      loadPolicy(text, 'policy.yaml');
    } catch (err) {
      problems = (err as PolicyError).problems;
    }
    const never = problems.filter((p) => p.severity === 'warning' && /can never run/.test(p.message));
    expect(never.map((p) => `${p.line}:${p.col}`)).toEqual(['6:7']);
    expect(problems.some((p) => p.severity === 'error' && /already used/.test(p.message))).toBe(true);
  });
});
