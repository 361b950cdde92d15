import { Libmime } from 'libmime';
import { mapAddresses, mapComments } from './address-list';
import { hmacHex } from './hmac';

function isWithin(domain: string, ours: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, ''); // a fully qualified `hub.acme.example.` too
  const o = ours.toLowerCase();
  return d === o || d.endsWith(`.${o}`);
}

/** `penny@dimension.acme.example` -> `penny@acme.example` for every address in our subdomains. */
export function masqueradeAddresses(value: string, domain: string): string {
  // Each host looked at below is a piece of the text (or of its encoded words): one of ours
  // reads `.domain` (a subdomain) or `domain.` (the domain written with its final dot) in it.
  // Text with neither is left as it is, unscanned: most fields, and what masking left.
  const o = domain.toLowerCase();
  const mayName = (text: string): boolean => {
    if (text.includes('=?')) return true;
    const lower = text.toLowerCase();
    return lower.includes(`.${o}`) || lower.includes(`${o}.`);
  };
  if (!mayName(value)) return value;
  const ours = (host: string): boolean => isWithin(host, domain) && host.toLowerCase() !== domain.toLowerCase();
  const masked = mapAddresses(value, (address) => {
    const at = address.lastIndexOf('@');
    return ours(address.slice(at + 1)) ? `${address.slice(0, at)}@${domain}` : undefined;
  });
  if (!mayName(masked)) return masked;
  // The obsolete source route (`<@hub.acme.example,@relay:penny@...>`) names hosts too.
  const routed = masked.includes(':') ? masked.replace(ROUTE_HOST, (whole, before: string, host: string) => (ours(host) ? `${before}${domain}` : whole)) : masked;
  // A comment naming our host (`(sent via dimension.acme.example)`) is shown by readers too;
  // the rest of it keeps its bytes.
  const hosts = (t: string): string => t.replace(HOST, (host) => (ours(host) ? domain : host));
  const commented = routed.includes('(') ? mapComments(routed, (c) => hosts(c.includes('=?') ? inWords(c, hosts) : c)) : routed;
  // A display name that is the address (`"penny@hub.acme.example" <penny@...>`, quoted or in
  // encoded words) is shown by readers as well: its host goes too.
  const text = (t: string): string => t.replace(TEXT_ADDRESS, (whole, local: string, host: string) => (ours(host) ? `${local}@${domain}` : whole));
  const quoted = commented.includes('"') ? text(commented) : commented;
  return quoted.includes('=?') ? inWords(quoted, text) : quoted;
}

/** Each run of encoded words in `value` whose decoded text `fn` changes, encoded afresh. */
function inWords(value: string, fn: (text: string) => string): string {
  return value.replace(WORDS, (words) => {
    const decoded = decodedWords(words);
    if (decoded === undefined) return words;
    const changed = fn(decoded);
    return changed !== decoded ? libmime.encodeWord(changed, 'B', 52) : words;
  });
}

/** A host name standing on its own (a final dot, as at the end of a sentence, not part of it). */
const HOST = /(?<![A-Za-z0-9_.-])[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+/g;
const ROUTE_HOST = /([<,]\s*@)([A-Za-z0-9_.-]+)(?=\s*[,:])/g;
// Tried only where a run of atom characters starts (linear on a long run without @), and not
// in a quoted local part (`"x@hub.acme.example"@elsewhere` is someone else's mailbox).
const TEXT_ADDRESS = /(?<![A-Za-z0-9!#$%&'*+/=?^_`{|}~.-])([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+)@([A-Za-z0-9_.-]+)(?![A-Za-z0-9_.-]|"\s*@)/g;
const WORD = String.raw`=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=`;
/** A run of encoded words (white space between them is not text, RFC 2047 6.2). */
const WORDS = new RegExp(String.raw`${WORD}(?:\s+${WORD})*`, 'g');

const libmime = new Libmime();
function decodedWords(words: string): string | undefined {
  try {
    return libmime.decodeWords(words);
  } catch {
    return undefined;
  }
}

const HASHED = /^[0-9a-f]{32}$/;

/**
 * Names no public host has (RFC 6761 special-use, RFC 6762 `.local`, RFC 8375 `home.arpa`,
 * ICANN's `.internal`, and the suffixes networks commonly use inside): a Message-ID naming one
 * was made inside. `.example` is not here: it stands for public domains in examples and tests.
 */
const INTERNAL = /(?:^|\.)(?:local|localdomain|localhost|lan|internal|intranet|corp|home|home\.arpa|private|test|invalid)\.?$/i;
const IP = /^(?:\[[^\]]*\]|\d{1,3}(?:\.\d{1,3}){3})$/;

/** A host name that cannot be public: a single label, an IP address, an internal suffix. */
function internalHost(host: string): boolean {
  const h = host.replace(/\.$/, '');
  return h !== '' && (!h.includes('.') || IP.test(h) || INTERNAL.test(h));
}

/** In In-Reply-To and References: an id in `<>`, one whose `>` is missing, or a word (an id if it holds an `@`). */
const REFERENCE = /<([^<>]*)>|<([^<>\s]*)|([^\s<>()",;]+)/g;

/**
 * Message ids that name our hosts become `<hash@domain>`: an HMAC of the original id, so the
 * same id always maps to the same value (threads keep working) and no internal name leaks.
 * `all` (the Message-ID field) hashes every id, and the field becomes that id alone: a comment
 * or an id written without `<>` or without `@` must not carry the host name out either.
 * In-Reply-To and References hash an id of a host within the domain, or of one that cannot be
 * public (`<abc@PENNY-PC.corp.local>`): it was a Message-ID we hashed on its way out, and the
 * reply must name the hash the outside knows, not the host. There an id is also one whose `>` is
 * missing and a word with an `@` (an id written without `<>`), as a Message-ID may be written.
 */
export function masqueradeIds(value: string, domain: string, secret: string, all: boolean): string {
  const ours = (text: string): boolean => isWithin(text, domain) || text.toLowerCase().includes(`.${domain.toLowerCase()}`) || INTERNAL.test(text);
  const masked = (inner: string): string | undefined => {
    const id = inner.trim();
    const at = id.lastIndexOf('@');
    const local = at < 0 ? id : id.slice(0, at);
    const host = at < 0 ? '' : id.slice(at + 1);
    if (!all && !(at < 0 ? ours(id) : isWithin(host, domain) || internalHost(host))) return undefined;
    // Already ours (a reply passing out again): hashing it twice would point at no message.
    if (host.toLowerCase() === domain.toLowerCase() && HASHED.test(local)) return `<${id}>`;
    return `<${hmacHex(secret, at < 0 ? id : `${local}@${host}`).slice(0, 32)}@${domain}>`;
  };
  if (all) {
    const first = /<([^<>]*)>/.exec(value);
    const id = first ? first[1]! : value.replace(/\([^()]*\)/g, '').trim();
    return id === '' ? value : masked(id)!;
  }
  return value.replace(REFERENCE, (whole, closed?: string, open?: string, word?: string) => {
    if (word !== undefined && !word.includes('@')) return whole;
    return masked(closed ?? open ?? word!) ?? whole;
  });
}
