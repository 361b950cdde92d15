import { textMatcher } from '../../match/text';

/**
 * Fields RFC 5322, 2045 and 2183 define with no address in them. `masquerade` reads a field it
 * is given as an address field: in one of these it would change text the sender wrote (an
 * address or a `(host)` in a Subject), so naming one is warned about. Fields it does not know
 * (X-*) may hold addresses and are taken as written.
 */
const FREE_TEXT: ReadonlySet<string> = new Set(['subject', 'comments', 'keywords', 'date', 'resent-date', 'mime-version']);
const IDS: ReadonlySet<string> = new Set(['message-id', 'resent-message-id', 'in-reply-to', 'references']);

/** The fields of the sets above, and the trace and MIME fields, that a pattern is tried against. */
const NOT_ADDRESSES = [
  'Subject', 'Received', 'Content-Type', 'Date', 'Message-ID', 'Comments', 'Keywords', 'Resent-Date', 'MIME-Version',
  'Content-Disposition', 'Content-Transfer-Encoding', 'Content-Description', 'Content-ID',
  'Resent-Message-ID', 'In-Reply-To', 'References',
];

/** Why `masquerade` should not name this field (a literal name), or undefined when it may. */
export function masqueradeFieldProblem(name: string): string | undefined {
  const key = name.toLowerCase();
  if (IDS.has(key)) return `\`${name}\` holds message ids, not addresses: masquerade it with \`messageId: true\` and take it out of \`headers\``;
  if (key === 'received') {
    return `\`${name}\` is a trace field: masquerade would change the hosts it names and make the trace wrong; to hide internal hops, remove their Received fields (\`headers: { remove: [Received] }\`)`;
  }
  if (FREE_TEXT.has(key) || key.startsWith('content-')) {
    return `\`${name}\` holds no addresses: masquerade would change any address or (host) in the text it carries; name only address fields (From, Sender, Reply-To, To, Cc)`;
  }
  return undefined;
}

/**
 * Why `masquerade` should not take this wildcard or `re:` pattern, or undefined: one that picks
 * fields holding no addresses (`*`, `S*`, `Content-*`) changes their text as naming them would.
 */
export function masqueradePatternProblem(pattern: string): string | undefined {
  const m = textMatcher(pattern, true);
  const picked = NOT_ADDRESSES.filter((name) => m.test(name));
  if (picked.length === 0) return undefined;
  const some = picked.length > 4 ? `${picked.slice(0, 4).join(', ')}...` : picked.join(', ');
  return `"${pattern}" picks fields that hold no addresses (${some}): masquerade would change any address or (host) in the text they carry (a Subject, a Received line, a Content-Type name=); name only address fields (From, Sender, Reply-To, To, Cc)${picked.some((n) => IDS.has(n.toLowerCase())) ? ', and use `messageId: true` for the message ids' : ''}`;
}
