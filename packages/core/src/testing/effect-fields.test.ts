import { checkCase } from './case-schema';

const expecting = (effects: unknown[]): unknown => ({ name: 'a case', expect: { verdict: 'accept', effects } });

describe('expected effects', () => {
  it('are checked for the effect types and fields that exist', () => {
    expect(checkCase(expecting([{ type: 'addHeader', rule: 'r', name: 'X-A', value: 'b' }, { type: 'stripPart', part: { filename: 'a.exe', type: 'text/plain' } }]))).toEqual([]);
  });

  it('report a misspelt type, field or part field as what was meant', () => {
    expect(checkCase(expecting([{ type: 'addheader' }]))).toEqual([
      { pointer: '/expect/effects/0/type', message: expect.stringMatching(/^`addheader` is not an effect type; did you mean `addHeader`\? use one of: removeHeaders, /) },
    ]);
    expect(checkCase(expecting([{ type: 'log' }, { type: 'addHeader', nmae: 'X-A' }, { type: 'dropPart', part: { filenme: 'a.exe' } }]))).toEqual([
      { pointer: '/expect/effects/1/nmae', message: 'the `addHeader` effect has no `nmae`; did you mean `name`?' },
      { pointer: '/expect/effects/2/part/filenme', message: 'a part has no `filenme`; did you mean `filename`?' },
    ]);
  });
});
