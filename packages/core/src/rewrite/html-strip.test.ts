import { stripHtml } from './html-strip';

const ACTIVE = ['script', 'applet', 'object', 'embed', 'iframe'];

describe('stripHtml: the document a mail client parses, not the one a lax tokenizer sees', () => {
  it.each([
    // `<![CDATA[` outside <svg>/<math> is a bogus comment that ends at the first `>`.
    ['CDATA in HTML', '<![CDATA[><script>alert(1)</script>]]>', '<![CDATA[>]]>'],
    // `--!>` ends a comment.
    ['a comment ended by --!>', '<!-- --!><script>alert(1)</script>-->', '<!-- --!>-->'],
    ['an empty comment <!-->', '<!--><script>alert(1)</script>-->', '<!-->-->'],
    // Inside <svg>, <title> and <style> are not raw text: what is in them is markup.
    ['a script in an svg title', '<svg><title><script>alert(1)</script></title></svg>', '<svg><title></title></svg>'],
    ['an img breaking out of an svg style', '<svg><style><img src=x onerror=alert(1)></style></svg>', '<svg><style><img src=x></style></svg>'],
    ['an img breaking out of a math style', '<math><style><img src=x onerror=alert(1)></style></math>', '<math><style><img src=x></style></math>'],
    // With scripting on, <noscript> is raw text: its first `</noscript>` ends it, here inside a quoted value.
    ['a noscript closed inside an attribute', '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', '<noscript><p title="</noscript><img src=x>"></noscript>'],
    // ... and with scripting off what is in it is markup.
    ['an iframe in noscript', '<noscript><iframe src=x></iframe></noscript>', '<noscript></noscript>'],
    // A later <body> tag adds its attributes to the body element.
    ['a second body tag', '<body><p>x</p><body onload=alert(1)>', '<body><p>x</p><body>'],
    ['a slash before an attribute', '<img/onerror=alert(1) src=x>', '<img/ src=x>'],
    ['an attribute glued to a quoted value', '<img src="x"onerror=alert(1)>', '<img src="x">'],
    ['a svg script', '<svg><script href=x />', '<svg>'],
    ['an end tag with a space', '<SCRIPT>alert(1)</SCRIPT >', ''],
    // A cut must not join the text around it into a tag.
    ['text joined into a tag by the cut', '<<script>x</script>img src=x onerror=alert(1)>', '<img src=x>'],
  ])('%s', (_name, html, expected) => {
    expect(stripHtml(html, ACTIVE).html).toBe(expected);
  });

  it.each([
    ['a tag name a browser does not read as script', '<scr<script>x</script>ipt>alert(1)</script>'],
    ['a script in a title (raw text there)', '<title><script>alert(1)</script></title>'],
    ['a comment that --> alone ends', '<!-- a -- > <script>alert(1)</script> -->'],
    ['text, entities and 8-bit bytes', 'plain <b>text</b> &amp; \xe9\r\n<p title="a>b">ok</p>'],
  ])('leaves alone %s', (_name, html) => {
    expect(stripHtml(html, ACTIVE)).toEqual({ html, removed: 0 });
  });

  // Only the event attributes are cut from the tag's source: the rest is as written, not
  // re-serialized from the parsed values (which wrote `&#x4e2d;` as the one octet 0x2d).
  it.each([
    ['entities in kept attributes', '<a href="x?a=1&amp;b=2" title=\'q"\' onclick=y>z</a>', '<a href="x?a=1&amp;b=2" title=\'q"\'>z</a>'],
    ['non-Latin-1 and astral references', '<a title="&#x4e2d;&#x6587; &euro; &nbsp; &#x1F600;" onclick="evil()">', '<a title="&#x4e2d;&#x6587; &euro; &nbsp; &#x1F600;">'],
    ['an uppercase tag with unquoted values', '<IMG SRC=a.png ONERROR=x ALT=b>', '<IMG SRC=a.png ALT=b>'],
    ['an event attribute between others, glued on', '<a x="1"onclick="y"z=\'2\'>', '<a x="1"z=\'2\'>'],
    ['spaces around the =, and a value with > in it', '<a onclick = "a>b" title=t>', '<a title=t>'],
    ['duplicates (the parser ignores the second, but it would be first once the first is cut)', '<a onclick=1 OnClick=2 onclick="3">', '<a>'],
    ['an event attribute without a value', '<a onclick href=x>', '<a href=x>'],
    // A `/` left right before `>` would make an svg self-closing and so end it early.
    ['a slash before the last attribute', '<svg/onload=alert(1)><p>', '<svg/ ><p>'],
    ['a slash before the last two', '<svg/ onload=1 onload=2><p>', '<svg/ ><p>'],
    ['a slash and a self-closing end', '<svg onload="x"/>', '<svg />'],
  ])('cuts only the event attributes from the tag: %s', (_name, html, expected) => {
    expect(stripHtml(html, ACTIVE).html).toBe(expected);
  });

  it('counts each event attribute it cuts once', () => {
    expect(stripHtml('<a onclick=1 onclick=2 onmouseover=3 href=x>', ACTIVE)).toEqual({ html: '<a href=x>', removed: 3 });
  });

  it('makes text of a document nested deeper than any reader builds (parsing it would take minutes)', () => {
    const { html, removed } = stripHtml(`${'<div>'.repeat(300)}<script>alert(1)</script>`, ACTIVE);
    expect(html).not.toMatch(/<[a-z]/i);
    expect(removed).toBe(1);
    expect(stripHtml(`${'<div>'.repeat(200)}<script>alert(1)</script>`, ACTIVE).html).toBe('<div>'.repeat(200));
  });

  it('makes text of a document that keeps growing new scripts out of the cut ones', () => {
    const html = `${'<'.repeat(10)}${'script></script>'.repeat(10)}alert(1)</script>`;
    const { html: out } = stripHtml(html, ACTIVE);
    expect(out).not.toMatch(/<[a-z]/i);
  });
});
