/**
 * Fields RFC 5322, 2045 and 2183 define with no address in them. `masquerade` reads a field it
 * is given as an address field: in one of these it would change text the sender wrote (an
 * address or a `(host)` in a Subject), so naming one is warned about. Fields it does not know
 * (X-*) may hold addresses and are taken as written.
 */
const FREE_TEXT: ReadonlySet<string> = new Set(['subject', 'comments', 'keywords', 'date', 'resent-date', 'mime-version']);
const IDS: ReadonlySet<string> = new Set(['message-id', 'resent-message-id', 'in-reply-to', 'references']);

/** Why `masquerade` should not name this field (a literal name), or undefined when it may. */
export function masqueradeFieldProblem(name: string): string | undefined {
  const key = name.toLowerCase();
  if (IDS.has(key)) return `\`${name}\` holds message ids, not addresses: masquerade it with \`messageId: true\` and take it out of \`headers\``;
  if (FREE_TEXT.has(key) || key.startsWith('content-')) {
    return `\`${name}\` holds no addresses: masquerade would change any address or (host) in the text it carries; name only address fields (From, Sender, Reply-To, To, Cc)`;
  }
  return undefined;
}
