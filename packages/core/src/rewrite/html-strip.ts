import { Parser } from 'htmlparser2';

interface Cut {
  start: number;
  end: number;
  with: string;
}

function renderTag(name: string, attributes: Record<string, string>, selfClosing: boolean): string {
  const attrs = Object.entries(attributes).map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`));
  return `<${name}${attrs.join('')}${selfClosing ? ' /' : ''}>`;
}

/**
 * Remove the named elements (with their content) and every `on*` event attribute from an HTML
 * document, using a real tokenizer: what it cannot see as a tag stays text, and text is never
 * executed. Works on latin1 text so the bytes it keeps are exactly the bytes it was given.
 */
export function stripHtml(html: string, elements: readonly string[]): { html: string; removed: number } {
  const banned = new Set(elements.map((e) => e.toLowerCase()));
  const cuts: Cut[] = [];
  const open: { name: string; start: number; end: number }[] = [];
  let removed = 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        const start = parser.startIndex;
        const end = parser.endIndex + 1;
        if (banned.has(name)) {
          open.push({ name, start, end });
          return;
        }
        if (open.length > 0) return;
        const events = Object.keys(attributes).filter((a) => /^on/i.test(a));
        if (events.length === 0) return;
        for (const a of events) delete attributes[a];
        removed += events.length;
        const raw = html.slice(start, end);
        cuts.push({ start, end, with: renderTag(name, attributes, /\/\s*>$/.test(raw)) });
      },
      onclosetag(name, implied) {
        const top = open[open.length - 1];
        if (!top || top.name !== name) return;
        open.pop();
        if (open.length > 0) return;
        // An implied close ends where the next tag starts; a void element's (embed, img) right
        // after its own tag, which is where the parser reports it.
        const end = implied ? Math.max(parser.startIndex, top.end) : parser.endIndex + 1;
        cuts.push({ start: top.start, end, with: '' });
        removed++;
      },
    },
    { decodeEntities: false, lowerCaseTags: true, lowerCaseAttributeNames: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  // An element never closed runs to the end of the document: remove all of it.
  if (open.length > 0) {
    cuts.push({ start: open[0]!.start, end: html.length, with: '' });
    removed++;
  }
  cuts.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const c of cuts) {
    if (c.start < at) continue; // inside an element already removed
    out += html.slice(at, c.start) + c.with;
    at = c.end;
  }
  return { html: out + html.slice(at), removed };
}
