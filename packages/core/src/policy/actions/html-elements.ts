import { closest } from '../ajv-problems';

/**
 * The element names an HTML reader knows (the WHATWG HTML standard's, the obsolete ones it still
 * parses, and the SVG and MathML ones mail can carry): a `stripHtml` name outside them strips
 * nothing, so `scrpt` is a policy error with what was meant, not a filter that silently passes
 * scripts. A custom element's name (with a hyphen, `x-widget`) is taken as it is.
 */
const HTML = `a abbr address area article aside audio b base bdi bdo blockquote body br button canvas
caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset
figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins
kbd label legend li link main map mark menu meta meter nav noscript object ol optgroup option
output p param picture pre progress q rp rt ruby s samp script search section select slot small
source span strong style sub summary sup table tbody td template textarea tfoot th thead time
title tr track u ul var video wbr`;
const OBSOLETE = `acronym applet basefont bgsound big blink center dir font frame frameset image isindex
keygen listing marquee menuitem multicol nextid nobr noembed noframes plaintext rb rtc spacer strike
tt xmp`;
const SVG_MATHML = `svg math animate animatemotion animatetransform set use foreignobject feimage
annotation-xml mtext mi mo mn ms maction semantics`;

const KNOWN: readonly string[] = [HTML, OBSOLETE, SVG_MATHML].join(' ').split(/\s+/);
const KNOWN_SET: ReadonlySet<string> = new Set(KNOWN);

/** What is wrong with a `stripHtml` element name, or undefined for one a reader knows. */
export function htmlElementProblem(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (KNOWN_SET.has(lower) || /^[a-z][a-z0-9]*-[a-z0-9._-]*$/.test(lower)) return undefined;
  const hint = closest(lower, KNOWN);
  return `\`${name}\` is not an HTML element, so stripHtml would strip nothing by it; ${hint ? `did you mean \`${hint}\`?` : 'use element names such as script, iframe, object, embed, applet'}`;
}
