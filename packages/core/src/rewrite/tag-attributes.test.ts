import fc from 'fast-check';
import { Parser, type DefaultTreeAdapterMap, type Token } from 'parse5';
import { withoutAttributes } from './tag-attributes';

/** The first start tag parse5 reads in `html`: where it is, its attributes, whether it closes itself. */
function firstTag(html: string): { start: number; end: number; attrs: Token.Attribute[]; selfClosing: boolean } | undefined {
  let tag: ReturnType<typeof firstTag>;
  class First extends Parser<DefaultTreeAdapterMap> {
    override onStartTag(token: Token.TagToken): void {
      if (!tag && token.location) {
        tag = { start: token.location.startOffset, end: token.location.endOffset, attrs: token.attrs.map((a) => ({ ...a })), selfClosing: token.selfClosing };
      }
      super.onStartTag(token);
    }
  }
  new First({ sourceCodeLocationInfo: true }).tokenizer.write(html, true);
  return tag;
}

const isEvent = (name: string): boolean => /^on/i.test(name);

describe('withoutAttributes', () => {
  it('leaves a tag that parses as the original without the dropped attributes (names, values, self-closing)', () => {
    const piece = fc.constantFrom(' ', '\t', '\n', '/', '=', '"', "'", '>', 'x', 'Y', 'on', 'onclick', 'OnLoad', '&amp;', '&#x1F600;', 'é');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const html = `<svg${pieces.join('')}>`;
        const before = firstTag(html);
        if (!before) return;
        const { tag, removed } = withoutAttributes(html, before.start, before.end, isEvent);
        const after = firstTag(tag + html.slice(before.end));
        expect(after).toEqual({ start: 0, end: tag.length, attrs: before.attrs.filter((a) => !isEvent(a.name)), selfClosing: before.selfClosing });
        expect(removed >= before.attrs.filter((a) => isEvent(a.name)).length).toBe(true);
        expect(firstTag(tag)?.attrs.some((a) => isEvent(a.name)) ?? false).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
