import { describeBounds, withinBounds } from './bounds';

describe('withinBounds', () => {
  it.each([
    [5, { gte: 5 }, true],
    [4.9, { gte: 5 }, false],
    [5, { gt: 5 }, false],
    [10, { gt: 5, lt: 10 }, false],
    [7, { gt: 5, lt: 10 }, true],
    [3, { eq: 3 }, true],
    [3, { lte: 2 }, false],
    [0, {}, true],
  ])('%s within %j -> %s', (v, b, want) => expect(withinBounds(v, b)).toBe(want));
  it('describes bounds for traces', () => expect(describeBounds({ gt: 1, lte: 4 })).toBe('gt 1 lte 4'));
});
