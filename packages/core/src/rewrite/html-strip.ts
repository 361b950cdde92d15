import { Parser, type DefaultTreeAdapterMap, type Token } from 'parse5';
import { withoutAttributes } from './tag-attributes';

type ParentNode = DefaultTreeAdapterMap['parentNode'];
type ChildNode = DefaultTreeAdapterMap['childNode'];

interface Cut {
  start: number;
  end: number;
  with: string;
}

/** A start tag as the parser saw it: its place in the source and whether it has an event attribute. */
interface StartTag {
  name: string;
  start: number;
  end: number;
  hasEvent: boolean;
}

/**
 * The HTML parser of the living standard (parse5) that also records every start tag it is
 * handed. Only the tree builder knows when `<style>` is raw text (not inside `<svg>`), when
 * `<noscript>` is, what ends a comment (`--!>`) and that `<![CDATA[` is a bogus comment: a
 * tokenizer alone sees a different document than the mail client does.
 */
class TagRecorder extends Parser<DefaultTreeAdapterMap> {
  readonly tags: StartTag[] = [];

  override onStartTag(token: Token.TagToken): void {
    // Every start tag searches the open elements: a document nested 200,000 deep takes minutes.
    if (this.openElements.stackTop >= MAX_DEPTH) throw new TooDeep();
    if (token.location) {
      this.tags.push({
        name: token.tagName,
        start: token.location.startOffset,
        end: token.location.endOffset,
        hasEvent: token.attrs.some((a) => isEvent(a.name)),
      });
    }
    super.onStartTag(token);
  }
}

/**
 * Deeper than this, the document is not parsed (Blink and WebKit stop nesting at 512; mail is
 * never near either).
 */
const MAX_DEPTH = 256;

class TooDeep extends Error {}

const isEvent = (name: string): boolean => /^on/i.test(name);

const childrenOf = (node: ParentNode): ChildNode[] =>
  'content' in node && node.nodeName === 'template' ? [...node.childNodes, ...node.content.childNodes] : node.childNodes;

/** Where the source of a node ends: its own end, or that of the last thing inside it. */
function extentEnd(node: ChildNode): number {
  let end = node.sourceCodeLocation?.endOffset ?? 0;
  if ('childNodes' in node) for (const c of childrenOf(node)) end = Math.max(end, extentEnd(c));
  return end;
}

/** The cuts one parse calls for: banned elements (with what is inside them) and event attributes. */
function cutsOf(html: string, banned: ReadonlySet<string>, scriptingEnabled: boolean): { cuts: Cut[]; removed: number } {
  const parser = new TagRecorder({ sourceCodeLocationInfo: true, scriptingEnabled });
  parser.tokenizer.write(html, true);
  const cuts: Cut[] = [];
  let removed = 0;
  const walk = (node: ParentNode): void => {
    for (const child of childrenOf(node)) {
      if (!('tagName' in child)) continue;
      const loc = child.sourceCodeLocation;
      if (banned.has(child.tagName.toLowerCase())) {
        if (loc) cuts.push({ start: loc.startOffset, end: Math.max(loc.endTag?.endOffset ?? 0, extentEnd(child)), with: '' });
        removed++;
        continue;
      }
      walk(child);
    }
  };
  walk(parser.document);
  // Tags, not elements: a second `<body onload=...>` adds its attribute to the first body.
  for (const tag of parser.tags) {
    if (banned.has(tag.name)) {
      cuts.push({ start: tag.start, end: tag.end, with: '' });
    } else if (tag.hasEvent) {
      // Cut from the source, not written from the parsed values: `&#x4e2d;` in a kept title
      // came back as the one octet 0x2d, and the tag lower-cased and re-quoted. A duplicate
      // goes too: the parser ignores it, but it would be the first once the first is cut.
      const rest = withoutAttributes(html, tag.start, tag.end, isEvent);
      cuts.push({ start: tag.start, end: tag.end, with: rest.tag });
      removed += rest.removed;
    }
  }
  return { cuts, removed };
}

/** The cuts applied; where two overlap, the whole of both goes. */
function applyCuts(html: string, cuts: Cut[]): string {
  cuts.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Cut[] = [];
  for (const c of cuts) {
    const last = merged[merged.length - 1];
    if (last && c.start < last.end) {
      if (c.end > last.end || (c.start === last.start && c.end === last.end && c.with !== last.with)) {
        last.end = Math.max(last.end, c.end);
        last.with = '';
      }
      continue;
    }
    merged.push({ ...c });
  }
  let out = '';
  let at = 0;
  for (const c of merged) {
    out += html.slice(at, c.start) + c.with;
    at = c.end;
  }
  return out + html.slice(at);
}

/** Passes before a document that keeps growing new elements out of cut ones is given up on. */
const MAX_PASSES = 8;

/**
 * Remove the named elements (with their content) and every `on*` event attribute from an HTML
 * document, as a mail client's HTML parser reads it, with scripting on and off (`<noscript>`
 * differs). Bytes outside the cuts are kept exactly: give it latin1 text for an
 * ASCII-compatible charset. Cutting can join the text around a cut into a new tag
 * (`<<script></script>img onerror=...>`), so the result is parsed again until nothing is cut;
 * a document that still grows new elements after that, or that nests deeper than any reader
 * builds, is made text (`<` as `&lt;`).
 */
export function stripHtml(html: string, elements: readonly string[]): { html: string; removed: number } {
  const banned = new Set(elements.map((e) => e.toLowerCase()));
  let removed = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    let on: { cuts: Cut[]; removed: number };
    let off: { cuts: Cut[]; removed: number };
    try {
      on = cutsOf(html, banned, true);
      // The scripting flag changes how <noscript> alone is read.
      off = /<noscript/i.test(html) ? cutsOf(html, banned, false) : { cuts: [], removed: 0 };
    } catch (err) {
      if (!(err instanceof TooDeep)) throw err;
      break; // made text below, as a document that will not settle is
    }
    if (on.cuts.length === 0 && off.cuts.length === 0) return { html, removed };
    removed += Math.max(on.removed, off.removed, 1);
    html = applyCuts(html, [...on.cuts, ...off.cuts]);
  }
  return { html: html.replace(/</g, '&lt;'), removed: removed + 1 };
}
