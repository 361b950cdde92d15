/**
 * Finds the addr-specs in an address header value (`"Al" <al@x>, bob@y, group: c@z;`), so each
 * can be rewritten while display names, groups, comments and encoded words stay as written.
 */
// Sticky: tried exactly where the scan is, never searched ahead (that made long lists quadratic).
// White space and comments may stand around the @ (RFC 5322 3.4.1: `penny (x) @ hub.example`);
// the address handed to `fn` is without them, and a rewritten one has its comments after it.
const COMMENT = /\((?:[^()\\]|\\.)*\)/g;
const CFWS = String.raw`(?:[ \t]|\((?:[^()\\]|\\.)*\))*`;
// The value is a binary string: octets 0x80-0xff are RFC 6532's UTF-8 (`jürgen@müller.example`),
// part of the atom or label they stand in, not where an address starts or ends. A host name may
// have `_` (Windows names it `penny_pc`): not a DNS host name, but readers and MTAs take it. A
// domain literal is short (RFC 5321 4.1.3): bounded, an unclosed `a@[` is not scanned to the end.
const ATOM = /[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\x80-\xff-]/;
const ADDRESS = new RegExp(String.raw`([A-Za-z0-9!#$%&'*+/=?^_\`{|}~.\x80-\xff-]+|"(?:[^"\\]|\\.)*")${CFWS}@${CFWS}([A-Za-z0-9_.\x80-\xff-]+|\[[^[\]]{0,255}\])`, 'y');

/** Replace every address in the value with `fn(address)`; `fn` returning undefined keeps it. */
export function mapAddresses(value: string, fn: (address: string) => string | undefined): string {
  let out = '';
  let last = 0;
  let quoted = false;
  let comment = 0; // depth of the (comment) the scan is in
  /** An address starting exactly at `i`, replaced; the index to go on from, or undefined. */
  const replaceAt = (i: number): number | undefined => {
    ADDRESS.lastIndex = i;
    const hit = ADDRESS.exec(value);
    if (!hit) return undefined;
    const rewritten = fn(`${hit[1]}@${hit[2]}`);
    // Comments keep their text (`al(comment)@x` becomes `al@y (comment)`, CFWS may follow a domain).
    const comments = rewritten === undefined ? [] : hit[0].slice(hit[1]!.length, hit[0].length - hit[2]!.length).match(COMMENT) ?? [];
    out += value.slice(last, i) + (rewritten === undefined ? hit[0] : [rewritten, ...comments].join(' '));
    last = i + hit[0].length;
    return last - 1;
  };
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && (quoted || comment > 0)) {
      i++;
      continue;
    }
    // In a comment a quote is just a character (RFC 5322 3.2.2): `(5" disk)` must not hide the
    // address after it. Text in a comment is no address (`(al@smtp.weirdal.com)` is a note, not
    // a mailbox): it is kept as written (masquerade takes our host names out of comments itself).
    if (!quoted && (value[i] === '(' || (value[i] === ')' && comment > 0))) {
      comment += value[i] === '(' ? 1 : -1;
      continue;
    }
    if (value[i] === '"' && comment === 0) {
      // A quoted local part ("a b"@x) is part of an address, not a display name.
      const next = !quoted && /^"(?:[^"\\]|\\.)*"@/.test(value.slice(i)) ? replaceAt(i) : undefined;
      if (next !== undefined) {
        i = next;
        continue;
      }
      quoted = !quoted;
      continue;
    }
    if (quoted || comment > 0) continue;
    const next = replaceAt(i);
    if (next !== undefined) i = next;
    // No address starts later in a run of atom characters that none starts at: the rest of the
    // run meets the same text after it. Skipped, or a long word is tried at each of its characters.
    else if (ATOM.test(value[i]!)) while (i + 1 < value.length && ATOM.test(value[i + 1]!)) i++;
  }
  return out + value.slice(last);
}

// RFC 5322 3.2.3 atext, and RFC 6532's UTF-8 octets (the value is a binary string of them).
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\xff-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\xff-]+)*$/;
/** Atext and dots in any order: a local part as written unquoted, obsolete forms (`a..b`) too. */
const UNQUOTED = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\x80-\xff.-]*$/;
const QUOTED = /^"(?:[^"\\]|\\.)*"$/;
const DOMAIN = /^(?:[A-Za-z0-9\x80-\xff-]+(?:\.[A-Za-z0-9\x80-\xff-]+)*\.?|\[[^\[\]\\]*\])$/;

/**
 * An address as a rewrite pattern reads it: a quoted local part by its content
 * (`"john doe"@x` is `john doe@x`, RFC 5322 3.4.1 makes them the same mailbox).
 */
export function addressContent(address: string): string {
  if (address[0] !== '"') return address;
  const at = address.lastIndexOf('@');
  return address.slice(1, at - 1).replace(/\\(.)/g, '$1') + address.slice(at);
}

/**
 * A rewrite's result made a valid addr-spec: a local part that cannot be written bare is quoted,
 * `"` and `\` escaped (`john doe+lab@x` -> `"john doe+lab"@x`). A dot-atom stays bare, and so does
 * one in obsolete dots when `bare` (the original was written unquoted: its bytes are kept). A
 * result that is no `local@domain` is left as the policy wrote it.
 */
export function quotedLocal(result: string, bare: boolean): string {
  const at = result.lastIndexOf('@');
  if (at < 0) return result;
  const local = result.slice(0, at);
  if (DOT_ATOM.test(local) || (bare && UNQUOTED.test(local)) || QUOTED.test(local) || !DOMAIN.test(result.slice(at + 1))) return result;
  return `"${local.replace(/["\\]/g, '\\$&')}"${result.slice(at)}`;
}

/**
 * Replace the text of every comment in the value with `fn(text)` (a nested comment is part of
 * the text of the one around it); quoted strings hold none. A comment left open at the end of
 * the value is one to its end, as readers show it.
 */
export function mapComments(value: string, fn: (text: string) => string): string {
  let out = '';
  let last = 0;
  let start = 0;
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && (quoted || depth > 0)) i++;
    else if (quoted) quoted = c !== '"';
    else if (c === '(') {
      if (depth++ === 0) start = i + 1;
    } else if (c === ')' && depth > 0) {
      if (--depth > 0) continue;
      out += value.slice(last, start) + fn(value.slice(start, i));
      last = i;
    } else if (c === '"' && depth === 0) quoted = true;
  }
  if (depth > 0) return out + value.slice(last, start) + fn(value.slice(start));
  return out + value.slice(last);
}

// RFC 5322's, the Resent- ones, and the address fields mailers and list servers add
// (Mail-Followup-To, Return-Receipt-To, X-Original-From, ...): masquerade reads any field, and
// a rewrite must take these address by address too, not as one value.
const ADDRESS_FIELDS = new RegExp(`^(${[
  'from', 'to', 'cc', 'bcc', 'reply-to', 'sender', 'resent-(from|to|cc|bcc|sender|reply-to)', 'return-path', 'errors-to',
  'disposition-notification-to', 'return-receipt-to', 'mail-followup-to', 'mail-reply-to', 'mail-copies-to', 'apparently-to',
  'delivered-to', 'x-original-(from|to|sender)', 'x-envelope-(from|to)', 'x-sender',
].join('|')})$`, 'i');

/** Header fields whose value is a list of addresses. */
export function isAddressHeader(name: string): boolean {
  return ADDRESS_FIELDS.test(name);
}

/**
 * Policy text for an address field, made ASCII where RFC 2047 allows: a display name (quoted or
 * not), a group name or a comment that is not ASCII goes in encoded words; addresses stay as
 * written (one that is not ASCII needs SMTPUTF8 at the next hop either way).
 */
export function encodePhrases(value: string, encodeWord: (text: string) => string): string {
  if (/^[\x20-\x7e\t]*$/.test(value)) return value;
  // Angle-bracketed addresses, quoted strings, then runs of other text up to the next delimiter.
  return value.replace(/<[^>]*>?|"((?:[^"\\]|\\.)*)"?|[^<>",:;()]+/g, (token, quoted: string | undefined) => {
    if (/^[\x00-\x7f]*$/.test(token) || token.startsWith('<')) return token;
    if (quoted !== undefined) return encodeWord(quoted.replace(/\\(.)/g, '$1'));
    if (token.includes('@')) return token; // a bare address
    const lead = /^\s*/.exec(token)![0];
    const trail = token.slice(token.trimEnd().length); // not /\s*$/: quadratic on a long run of spaces
    return `${lead}${encodeWord(token.trim())}${trail}`;
  });
}
