import { Libmime } from 'libmime';
import type { Headers } from '@zone-eu/mailsplit';
import type { Effect } from '../engine/effect';
import { compileGlob, type Glob } from '../match/glob';
import type { Matcher } from '../match/matcher';
import { compileRewriteTemplate } from '../match/rewrite-template';
import { textMatcher } from '../match/text';
import { headerText } from '../message/header-fields';
import { isStructureField } from '../message/structure-fields';
import { addressContent, encodePhrases, isAddressHeader, mapAddresses, quotedLocal } from './address-list';
import type { RewriteChange } from './change';
import { buildHeaderBlock, fieldsOf, unstructuredValue, octets, withValue, type Field } from './header-value';
import { withoutMarked } from './mailbox-list';
import { masqueradeAddresses, masqueradeIds } from './masquerade';
import { prefixSubject } from './subject-prefix';

const libmime = new Libmime();

type HeaderEffect = Extract<Effect, { type: 'removeHeaders' | 'keepHeaders' | 'addHeader' | 'rewriteHeader' | 'masquerade' | 'subjectPrefix' }>;

/** The effect types that edit the top-level header block. */
export const HEADER_EFFECTS: ReadonlySet<Effect['type']> = new Set(['removeHeaders', 'keepHeaders', 'addHeader', 'rewriteHeader', 'masquerade', 'subjectPrefix']);

/** True for the effects that edit the top-level header block. */
export function isHeaderEffect(e: Effect): e is HeaderEffect {
  return HEADER_EFFECTS.has(e.type);
}

const globs = new Map<string, Glob>();
function glob(pattern: string): Glob {
  let g = globs.get(pattern);
  if (!g) {
    g = compileGlob(pattern, { nocase: true });
    globs.set(pattern, g);
  }
  return g;
}

const names = new Map<string, Matcher>();
/**
 * A header-name pattern, compiled as the `header` condition compiles its `name`: a wildcard
 * matches the whole name, a `re:` regex is searched (the author anchors it with ^ and $).
 */
function nameMatches(pattern: string, name: string): boolean {
  let m = names.get(pattern);
  if (!m) {
    m = textMatcher(pattern, true);
    names.set(pattern, m);
  }
  return m.test(name);
}

/** A rewrite's `match` against a value: wildcard captures, or undefined when it does not match. */
function capture(pattern: string, value: string): string[] | undefined {
  if (pattern.startsWith('re:')) {
    const m = new RegExp(pattern.slice(3), 'i').exec(value);
    return m && m[0] === value ? m.slice(1).map((c) => c ?? '') : undefined;
  }
  return glob(pattern).capture(value);
}

const templates = new Map<string, ReturnType<typeof compileRewriteTemplate>>();
function template(to: string): ReturnType<typeof compileRewriteTemplate> {
  let t = templates.get(to);
  if (!t) {
    t = compileRewriteTemplate(octets(to));
    templates.set(to, t);
  }
  return t;
}

const textTemplates = new Map<string, ReturnType<typeof compileRewriteTemplate>>();

/**
 * A value with encoded words, matched as the `header` condition reads it (decoded): the result
 * goes back in encoded words where it is not ASCII. Undefined when the decoded text does not match.
 */
function rewriteDecoded(value: string, e: Extract<Effect, { type: 'rewriteHeader' }>): string | undefined {
  let decoded: string;
  try {
    decoded = libmime.decodeWords(headerText(value));
  } catch {
    return undefined;
  }
  const c = capture(e.match, decoded);
  if (!c) return undefined;
  let t = textTemplates.get(e.to);
  if (!t) {
    t = compileRewriteTemplate(e.to);
    textTemplates.set(e.to, t);
  }
  return unstructuredValue(t.fill(c));
}

/** Stands for an address rewritten to nothing until its mailbox is taken out (no header holds it). */
const EMPTIED = '\u{F8FF}mailward-emptied\u{F8FF}';

/**
 * A glob with an `@` against an address: the part before the pattern's last `@` against the
 * local part, the rest against the domain, so a wildcard of the local part never ends at an `@`
 * inside it (`"a@b"@smtp.weirdal.com` by `*@*.weirdal.com`: `&1` is `a@b`, `&2` is `smtp`).
 */
function addressCapture(pattern: string, address: string): string[] | undefined {
  const split = pattern.startsWith('re:') ? -1 : lastOuterAt(pattern);
  const at = address.lastIndexOf('@');
  if (split === -1 || at === -1) return capture(pattern, address);
  let halves: [(v: string) => string[] | undefined, (v: string) => string[] | undefined];
  try {
    halves = [halfOf(pattern.slice(0, split)), halfOf(pattern.slice(split + 1))];
  } catch {
    // Halves that are no globs of their own: the pattern, which loaded, is matched whole.
    return capture(pattern, address);
  }
  const local = halves[0](address.slice(0, at));
  const domain = local && halves[1](address.slice(at + 1));
  return local && domain ? [...local, ...domain] : undefined;
}

/** A glob's matcher of captures, compiled now (a syntax error throws here, not per value). */
function halfOf(pattern: string): (value: string) => string[] | undefined {
  const g = glob(pattern);
  return (value) => g.capture(value);
}

/**
 * The last `@` of a glob outside `{...}` and `[...]` and not escaped: `{alice@smtp,bob@mail}.x`
 * has none, and cut at an inner one its halves would be no globs.
 */
function lastOuterAt(pattern: string): number {
  let found = -1;
  let braces = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '{') braces++;
    else if (c === '}' && braces > 0) braces--;
    else if (c === '@' && braces === 0) found = i;
  }
  return found;
}

function rewriteField(f: Field, e: Extract<Effect, { type: 'rewriteHeader' }>): string {
  const target = template(e.to);
  const pattern = octets(e.match);
  const apply = (v: string, address = false): string | undefined => {
    const c = address ? addressCapture(pattern, v) : capture(pattern, v);
    return c ? target.fill(c) : undefined;
  };
  if (isAddressHeader(f.name)) {
    // An address rewritten to nothing takes its mailbox out of the list (no "Al" <> is left);
    // the field goes when no address is left in it, as an empty target removes any other field.
    // A quoted local part is matched by its content, and the result quoted where it must be:
    // `&1` of `"john doe"@lab.x` is `john doe`, and `"john doe"+lab@y` would be no address.
    let emptied = false;
    const value = mapAddresses(f.value, (a) => {
      const r = apply(addressContent(a), true);
      if (r === undefined) return undefined;
      if (r !== '') return quotedLocal(r, a[0] !== '"');
      emptied = true;
      return EMPTIED;
    });
    if (!emptied) return value;
    const rest = withoutMarked(value, EMPTIED);
    let left = false;
    mapAddresses(rest, () => {
      left = true;
      return undefined;
    });
    return left ? rest : '';
  }
  // Encoded words are matched as read first: a wildcard over the raw words may end inside one.
  return (f.value.includes('=?') ? rewriteDecoded(f.value, e) : undefined) ?? apply(f.value) ?? f.value;
}

interface Edit {
  fields: Field[];
  secret: string;
  changes: RewriteChange[];
}

const named = (pattern: string, f: Field): boolean => nameMatches(pattern, f.name);

/**
 * MIME-Version and the Content-* fields say how to read the body: an allowlist that leaves them
 * out would turn a multipart message into one text part of raw boundaries and base64 (while
 * other readers still carve attachments out of it), so `keep` always keeps them, and `remove`
 * and `rewrite` (a broad `*`; naming them is a load error) leave them as they are.
 */
const describesBody = (f: Field): boolean => isStructureField(f.key);

/** Fields RFC 5322 3.6 allows at most once in a message. */
const ONCE: ReadonlySet<string> = new Set([
  'date', 'from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'message-id', 'in-reply-to', 'references', 'subject',
]);

/**
 * One edit per header effect type. A table typed over the union fails to compile when an
 * effect type has no edit, as match().exhaustive() would, without building a matcher per
 * effect per message (that alone was a fifth of the header edit time on small mail).
 */
const EDITS: { [K in HeaderEffect['type']]: (x: Extract<HeaderEffect, { type: K }>, edit: Edit) => void } = {
  removeHeaders: (x, edit) => {
    edit.fields = edit.fields.filter((f) => {
      if (describesBody(f) || !x.names.some((p) => named(p, f))) return true;
      edit.changes.push({ kind: 'header-removed', rule: x.rule, name: f.name });
      return false;
    });
  },
  keepHeaders: (x, edit) => {
    edit.fields = edit.fields.filter((f) => {
      if (describesBody(f) || x.names.some((p) => named(p, f))) return true;
      edit.changes.push({ kind: 'header-removed', rule: x.rule, name: f.name });
      return false;
    });
  },
  addHeader: (x, edit) => {
    const value = isAddressHeader(x.name) ? octets(encodePhrases(x.value, (t) => libmime.encodeWord(t, 'Q', 52))) : unstructuredValue(x.value);
    const key = x.name.toLowerCase();
    // A field a message may carry once (RFC 5322 3.6) is replaced, not doubled: two Subjects
    // or Reply-Tos leave the reader to pick one, and a strict MTA refuses the message.
    if (ONCE.has(key)) {
      edit.fields = edit.fields.filter((f) => {
        if (f.key !== key) return true;
        edit.changes.push({ kind: 'header-removed', rule: x.rule, name: f.name });
        return false;
      });
    }
    edit.fields.unshift({ key, name: x.name, value });
    edit.changes.push({ kind: 'header-added', rule: x.rule, name: x.name });
  },
  rewriteHeader: (x, edit) => {
    const fields: Field[] = [];
    for (const f of edit.fields) {
      const value = !describesBody(f) && named(x.header, f) ? rewriteField(f, x) : f.value;
      if (value === f.value) {
        fields.push(f);
        continue;
      }
      // An empty target removes the field, and says so: logs count removals by this kind.
      if (value.trim() === '') {
        edit.changes.push({ kind: 'header-removed', rule: x.rule, name: f.name });
        continue;
      }
      edit.changes.push({ kind: 'header-rewritten', rule: x.rule, name: f.name, from: headerText(f.value), to: headerText(value) });
      fields.push(withValue(f, value));
    }
    edit.fields = fields;
  },
  masquerade: (x, edit) => {
    edit.fields = edit.fields.map((f) => {
      let value = f.value;
      if (x.headers.some((h) => named(h, f))) value = masqueradeAddresses(value, x.domain);
      // A resent message's own id names the host that resent it just as well.
      if (x.messageId && (f.key === 'message-id' || f.key === 'resent-message-id')) value = masqueradeIds(value, x.domain, edit.secret, true);
      if (x.messageId && (f.key === 'in-reply-to' || f.key === 'references')) value = masqueradeIds(value, x.domain, edit.secret, false);
      if (value === f.value) return f;
      edit.changes.push({ kind: 'header-rewritten', rule: x.rule, name: f.name, from: headerText(f.value), to: headerText(value) });
      return withValue(f, value);
    });
  },
  subjectPrefix: (x, edit) => {
    let seen = false;
    edit.fields = edit.fields.map((f) => {
      if (f.key !== 'subject') return f;
      seen = true;
      const value = prefixSubject(f.value, x.prefix);
      if (value === undefined) return f;
      edit.changes.push({ kind: 'subject-prefixed', rule: x.rule });
      return withValue(f, value);
    });
    // A message without a Subject is tagged too: a filter on the prefix must see it. It goes
    // before a line that is no field, which readers take for the start of the body.
    if (seen) return;
    const body = edit.fields.findIndex((f) => f.line !== undefined && f.line !== '' && f.line.indexOf(':') <= 0);
    edit.fields.splice(body < 0 ? edit.fields.length : body, 0, { key: 'subject', name: 'Subject', value: prefixSubject(undefined, x.prefix)! });
    edit.changes.push({ kind: 'subject-prefixed', rule: x.rule });
  },
};

/**
 * Whether header effects, applied in order, take out a field that stood in the header block
 * before them: the gateway's own Received line must not name the client where the policy
 * removes the Received lines of internal hops.
 */
export function removesField(effects: readonly Effect[], name: string, value: string): boolean {
  const probe: Field = { key: name.toLowerCase(), name, value };
  const edit: Edit = { fields: [probe], secret: 'probe', changes: [] };
  for (const e of effects) if (isHeaderEffect(e)) (EDITS[e.type] as (x: HeaderEffect, edit: Edit) => void)(e, edit);
  return !edit.fields.some((f) => f.key === probe.key);
}

/**
 * Apply header effects to the top-level header block, in order, recording what changed; the
 * new block's bytes, or undefined when nothing changed (the block then keeps its bytes).
 */
export function editHeaders(headers: Headers, effects: HeaderEffect[], secret: string, changes: RewriteChange[]): Buffer | undefined {
  const edit: Edit = { fields: fieldsOf(headers), secret, changes };
  const before = changes.length;
  for (const e of effects) (EDITS[e.type] as (x: HeaderEffect, edit: Edit) => void)(e, edit);
  // Untouched header blocks keep their bytes (folding included).
  return changes.length > before ? buildHeaderBlock(edit.fields) : undefined;
}
