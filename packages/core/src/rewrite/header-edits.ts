import { match } from 'ts-pattern';
import { Libmime } from 'libmime';
import type { Headers } from '@zone-eu/mailsplit';
import type { Effect } from '../engine/effect';
import { compileGlob, type Glob } from '../match/glob';
import { compileRewriteTemplate } from '../match/rewrite-template';
import { isAddressHeader, mapAddresses } from './address-list';
import type { RewriteChange } from './change';
import { fieldsOf, setFields, type Field } from './header-value';
import { masqueradeAddresses, masqueradeIds } from './masquerade';

const libmime = new Libmime();

type HeaderEffect = Extract<Effect, { type: 'removeHeaders' | 'keepHeaders' | 'addHeader' | 'rewriteHeader' | 'masquerade' | 'subjectPrefix' }>;

/** True for the effects that edit the top-level header block. */
export function isHeaderEffect(e: Effect): e is HeaderEffect {
  return ['removeHeaders', 'keepHeaders', 'addHeader', 'rewriteHeader', 'masquerade', 'subjectPrefix'].includes(e.type);
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

/** A rewrite's `match` against a value: wildcard captures, or undefined when it does not match. */
function capture(pattern: string, value: string): string[] | undefined {
  if (pattern.startsWith('re:')) {
    const m = new RegExp(pattern.slice(3), 'i').exec(value);
    return m && m[0] === value ? m.slice(1).map((c) => c ?? '') : undefined;
  }
  return glob(pattern).capture(value);
}

function rewriteField(f: Field, e: Extract<Effect, { type: 'rewriteHeader' }>): string {
  const template = compileRewriteTemplate(e.to);
  const apply = (v: string): string | undefined => {
    const c = capture(e.match, v);
    return c ? template.fill(c) : undefined;
  };
  if (isAddressHeader(f.name)) return mapAddresses(f.value, apply);
  return apply(f.value) ?? f.value;
}

function prefixSubject(value: string, prefix: string): string | undefined {
  let decoded = value;
  try {
    decoded = libmime.decodeWords(value);
  } catch {
    // an undecodable subject is prefixed as written
  }
  if (decoded.trimStart().toLowerCase().startsWith(prefix.trim().toLowerCase())) return undefined;
  const head = /^[\x20-\x7e]*$/.test(prefix) ? prefix : `${libmime.encodeWord(prefix, 'Q')} `;
  return head + value;
}

/** Apply header effects to the top-level header block, in order, recording what changed. */
export function editHeaders(headers: Headers, effects: HeaderEffect[], secret: string, changes: RewriteChange[]): void {
  let fields = fieldsOf(headers);
  const before = changes.length;
  const named = (pattern: string) => (f: Field): boolean => glob(pattern).test(f.name);
  for (const e of effects) {
    match(e)
      .with({ type: 'removeHeaders' }, (x) => {
        const gone = fields.filter((f) => x.names.some((p) => named(p)(f)));
        for (const f of gone) changes.push({ kind: 'header-removed', rule: x.rule, name: f.name });
        fields = fields.filter((f) => !gone.includes(f));
      })
      .with({ type: 'keepHeaders' }, (x) => {
        const gone = fields.filter((f) => !x.names.some((p) => named(p)(f)));
        for (const f of gone) changes.push({ kind: 'header-removed', rule: x.rule, name: f.name });
        fields = fields.filter((f) => !gone.includes(f));
      })
      .with({ type: 'addHeader' }, (x) => {
        fields.unshift({ key: x.name.toLowerCase(), name: x.name, value: x.value });
        changes.push({ kind: 'header-added', rule: x.rule, name: x.name });
      })
      .with({ type: 'rewriteHeader' }, (x) => {
        fields = fields.flatMap((f) => {
          if (!named(x.header)(f)) return [f];
          const value = rewriteField(f, x);
          if (value === f.value) return [f];
          changes.push({ kind: 'header-rewritten', rule: x.rule, name: f.name, from: f.value, to: value });
          return value.trim() === '' ? [] : [{ ...f, value }];
        });
      })
      .with({ type: 'masquerade' }, (x) => {
        fields = fields.map((f) => {
          let value = f.value;
          if (x.headers.some((h) => named(h)(f))) value = masqueradeAddresses(value, x.domain);
          if (x.messageId && /^message-id$/i.test(f.name)) value = masqueradeIds(value, x.domain, secret, true);
          if (x.messageId && /^(in-reply-to|references)$/i.test(f.name)) value = masqueradeIds(value, x.domain, secret, false);
          if (value === f.value) return f;
          changes.push({ kind: 'header-rewritten', rule: x.rule, name: f.name, from: f.value, to: value });
          return { ...f, value };
        });
      })
      .with({ type: 'subjectPrefix' }, (x) => {
        fields = fields.map((f) => {
          if (f.key !== 'subject') return f;
          const value = prefixSubject(f.value, x.prefix);
          if (value === undefined) return f;
          changes.push({ kind: 'subject-prefixed', rule: x.rule });
          return { ...f, value };
        });
      })
      .exhaustive();
  }
  // Untouched header blocks keep their bytes (folding included).
  if (changes.length > before) setFields(headers, fields);
}
