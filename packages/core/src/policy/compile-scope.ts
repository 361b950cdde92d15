import type { Stage } from '../engine/stage';
import { addressMatcher } from '../match/address';
import { ipMatcher } from '../match/cidr';
import { domainMatcher } from '../match/domain';
import { anyOf, noneOf, type Matcher } from '../match/matcher';
import { isBacktrackProne } from '../match/regex-pattern';
import { textMatcher } from '../match/text';
import type { RawPatterns, RawPatternValue } from './raw-policy';

/** A location in the raw policy: keys and array indexes from the root. */
export type PolicyPath = readonly (string | number)[];

/** How a pattern's strings are read: address, domain, IP/CIDR, case-insensitive name, or case-sensitive text. */
export type PatternKind = 'address' | 'domain' | 'ip' | 'name' | 'text';

export interface Reporter {
  error(path: PolicyPath, message: string, rule?: string): void;
  warning(path: PolicyPath, message: string, rule?: string): void;
  /** True when the schema refused something at or under `path` (its shape is not the one compiled). */
  refused(path: PolicyPath): boolean;
}

/** Everything compiling one rule's conditions and actions needs. */
export class CompileScope {
  constructor(
    readonly reporter: Reporter,
    readonly lists: Readonly<Record<string, readonly string[]>>,
    readonly usedLists: Set<string>,
    readonly stage: Stage,
    readonly rule: string | undefined,
    /** Matchers already compiled in this policy, by kind and text: a list used by 40 rules is compiled once. */
    private readonly compiled: Map<string, Matcher> = new Map(),
  ) {}

  /** The same scope for another stage and rule, sharing reporter, lists and compiled matchers. */
  forRule(stage: Stage, rule: string | undefined): CompileScope {
    return new CompileScope(this.reporter, this.lists, this.usedLists, stage, rule, this.compiled);
  }

  error(path: PolicyPath, message: string): void {
    this.reporter.error(path, message, this.rule);
  }

  warning(path: PolicyPath, message: string): void {
    this.reporter.warning(path, message, this.rule);
  }

  /**
   * Compiles one action or condition; when the schema refused part of it and its shape trips the
   * compiler (`subject: { prefx }` has no prefix to read), only it is dropped, so the problems of
   * the rest (an unknown template field beside it) are reported with the schema's.
   */
  despiteSchema<T>(path: PolicyPath, compile: () => T): T | undefined {
    if (!this.reporter.refused(path)) return compile();
    try {
      return compile();
    } catch {
      return undefined; // the schema's problem at `path` says what to change
    }
  }

  /** The strings of a pattern value with `@list` references expanded, each with where it was written. */
  expand(value: RawPatterns, path: PolicyPath): { text: string; path: PolicyPath }[] {
    const items = typeof value === 'string' ? [{ text: value, path }] : value.map((text, i) => ({ text, path: [...path, i] }));
    const out: { text: string; path: PolicyPath }[] = [];
    for (const item of items) {
      if (!item.text.startsWith('@') || item.text.includes('@', 1)) {
        out.push(item);
        continue;
      }
      const name = item.text.slice(1);
      const list = this.lists[name];
      if (list === undefined) {
        const known = Object.keys(this.lists);
        const domainHint = name.includes('.') ? `; for addresses at that domain write "*@${name}"` : '';
        this.error(item.path, `list \`@${name}\` is not defined; ${known.length > 0 ? `defined lists: ${known.map((k) => `@${k}`).join(', ')}` : 'add it under `lists:`'}${domainHint}`);
        continue;
      }
      this.usedLists.add(name);
      // Lists hold plain patterns (a list inside a list would be a second level of indirection to audit).
      list.forEach((text, i) => out.push({ text, path: ['lists', name, i] }));
    }
    return out;
  }

  /**
   * The header-name patterns of an action (`headers.keep`, `masquerade.headers`) with `@list`
   * expanded, each compiled now as the rewriter will compile it, so a bad one is a load error;
   * `also` looks at each good one where it was written (a list entry in its list).
   */
  headerNames(value: RawPatterns, path: PolicyPath, also?: (text: string, path: PolicyPath) => void): string[] {
    const good = this.expand(value, path).filter((item) => this.headerName(item.text, item.path));
    if (also) for (const item of good) also(item.text, item.path);
    return good.map((item) => item.text);
  }

  /**
   * Checks one header-name pattern of an action, a wildcard or `re:` (reported when bad),
   * compiled as the `header` condition's `name` is: header edits match names the same way.
   */
  headerName(text: string, path: PolicyPath): boolean {
    if (!this.fieldNameShape(text, path)) return false;
    try {
      if (text.startsWith('re:')) this.checkRegex(text, path);
      textMatcher(text, true);
      return true;
    } catch (err) {
      this.error(path, `bad pattern "${text}": ${(err as Error).message}`);
      return false;
    }
  }


  /**
   * A field name has no colon, space or control character (RFC 5322 2.2): `From:` would load and
   * never match, so it is reported with what to write. `re:` patterns are the author's own.
   */
  fieldNameShape(text: string, path: PolicyPath): boolean {
    if (text === '') {
      this.error(path, 'an empty header name matches no field; write the field\'s name (`X-Mailer`) or a pattern (`X-Internal-*`)');
      return false;
    }
    if (text.startsWith('re:') || !/[:\s\x00-\x1f\x7f]/.test(text)) return true;
    const name = text.replace(/[:\s\x00-\x1f\x7f]+$/, '');
    const hint = /^[!-9;-~]+$/.test(name) ? `: write ${name}` : '; a field name is printable ASCII without them';
    this.error(path, `"${text}" is not a header field name (no colon, space or control character in one)${hint}`);
    return false;
  }

  /** Each field-name pattern of a value (lists expanded, `not` looked into) checked as above. */
  fieldNames(value: RawPatternValue, path: PolicyPath): void {
    if (typeof value === 'object' && !Array.isArray(value) && 'not' in value) return this.fieldNames(value.not, [...path, 'not']);
    for (const item of this.expand(value as RawPatterns, path)) this.fieldNameShape(item.text, item.path);
  }

  /** Compiles a pattern value (string, list, `{ not: ... }`) into one matcher; reports bad patterns. */
  matcher(value: RawPatternValue, kind: PatternKind, path: PolicyPath): Matcher {
    if (typeof value === 'object' && !Array.isArray(value) && 'not' in value) {
      const inner = this.matcher(value.not, kind, [...path, 'not']);
      return noneOf(inner, `not ${inner.source}`);
    }
    const raw = value as RawPatterns;
    const matchers: Matcher[] = [];
    for (const item of this.expand(raw, path)) {
      const m = this.single(item.text, kind, item.path);
      if (m) matchers.push(m);
    }
    return anyOf(matchers, typeof raw === 'string' ? raw : raw.join(', '));
  }

  private single(text: string, kind: PatternKind, path: PolicyPath): Matcher | undefined {
    const key = `${kind}\u0000${text}`;
    const known = this.compiled.get(key);
    if (known) return known;
    if (!this.plausible(text, kind, path)) return undefined;
    try {
      if (text.startsWith('re:')) this.checkRegex(text, path);
      const m = build(text, kind);
      this.compiled.set(key, m);
      return m;
    } catch (err) {
      this.error(path, `bad pattern "${text}": ${(err as Error).message}`);
      return undefined;
    }
  }

  /**
   * An empty address or IP pattern, or an address, domain or IP pattern with spaces around it,
   * loads as a glob that no value can match: the rule would never fire, so it is reported
   * instead. (An empty header value, HELO name or domain is a value; those may be empty.)
   */
  private plausible(text: string, kind: PatternKind, path: PolicyPath): boolean {
    if (kind === 'text' || kind === 'name') return true;
    if (text.trim() === '' && (text !== '' || kind !== 'domain')) {
      this.error(path, `an empty pattern matches nothing; write what to match${kind === 'address' ? ' (the null sender is "<>", any address "*")' : kind === 'ip' ? ' ("*" for any client)' : ''}`);
      return false;
    }
    if (text.trim() !== text) {
      this.error(path, `pattern "${text}" has spaces around it, which no ${kind === 'ip' ? 'IP address' : kind} has; write "${text.trim()}"`);
      return false;
    }
    return true;
  }

  private checkRegex(text: string, path: PolicyPath): void {
    if (isBacktrackProne(text.slice(3))) {
      this.warning(path, `regex "${text}" has nested or overlapping quantifiers and can backtrack catastrophically on hostile input; rewrite it without a quantified group that itself repeats`);
    }
  }
}

function build(text: string, kind: PatternKind): Matcher {
  switch (kind) {
    case 'address': return addressMatcher(text);
    case 'domain': return domainMatcher(text);
    case 'ip': return ipMatcher(text);
    case 'name': return textMatcher(text, true);
    case 'text': return textMatcher(text, false);
  }
}
