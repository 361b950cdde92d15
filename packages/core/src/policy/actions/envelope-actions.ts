import type { Effect } from '../../engine/effect';
import { compileGlob } from '../../match/glob';
import { isBacktrackProne } from '../../match/regex-pattern';
import { compileRewriteTemplate } from '../../match/rewrite-template';
import type { CompileScope, PolicyPath } from '../compile-scope';
import type { EffectAction } from '../compiled-policy';
import type { RawRewriteSpec } from '../raw-policy';
import { lineTextProblem } from './control-characters';

interface Captures {
  /** How many captures `to` may refer to, and what to call them in an error. */
  count: number;
  noun: string;
  capture(value: string): string[] | undefined;
}

/** A header rewrite's `re:` match, compiled as the rewriter will: whole value, case-insensitive. */
function regexCaptures(body: string): Captures {
  const re = new RegExp(body, 'i');
  const count = new RegExp(`${body}|`, 'i').exec('')!.length - 1;
  return {
    count,
    noun: 'group',
    capture: (value) => {
      const m = re.exec(value);
      return m && m[0] === value ? m.slice(1).map((c) => c ?? '') : undefined;
    },
  };
}

function globCaptures(match: string): Captures {
  const glob = compileGlob(match, { nocase: true });
  return { count: glob.wildcards, noun: 'wildcard', capture: (value) => glob.capture(value) };
}

/**
 * Compiles a `match` + `to` pair (a wildcard, or `re:` and a regex matched against the whole
 * value, as the header rewriter does), reporting a bad pattern and a `to` that names a capture
 * `match` lacks.
 */
export function compileRewrite(spec: RawRewriteSpec, scope: CompileScope, path: PolicyPath): ((value: string) => string | undefined) | undefined {
  const at = [...path, 'match'];
  let captures: Captures;
  try {
    captures = spec.match.startsWith('re:') ? regexCaptures(spec.match.slice(3)) : globCaptures(spec.match);
  } catch (err) {
    scope.error(at, `bad pattern "${spec.match}": ${(err as Error).message}`);
    return undefined;
  }
  if (spec.match.startsWith('re:') && isBacktrackProne(spec.match.slice(3))) {
    scope.warning(at, `regex "${spec.match}" has nested or overlapping quantifiers and can backtrack catastrophically on hostile input; rewrite it without a quantified group that itself repeats`);
  }
  const control = lineTextProblem(spec.to, '`to`');
  if (control !== undefined) {
    scope.error([...path, 'to'], control);
    return undefined;
  }
  const to = compileRewriteTemplate(spec.to);
  const { count, noun } = captures;
  if (to.highest > count) {
    const has = count === 0 ? `no ${noun}` : `only ${count} ${noun}${count > 1 ? 's' : ''}`;
    // `&` alone is the first capture: say so rather than "uses &1", which the user did not write.
    const uses = to.highest === 1 && !/&1/.test(spec.to) ? '&' : `&${to.highest}`;
    const fix = count === 0 ? `add a ${noun} to \`match\` or write \`\\&\` for a literal ampersand` : `use ${count === 1 ? '& or &1' : `&1..&${count}`} or add a ${noun} to \`match\``;
    scope.error([...path, 'to'], `\`${spec.to}\` uses ${uses} but "${spec.match}" has ${has}; ${fix}`);
    return undefined;
  }
  return (value) => {
    const c = captures.capture(value);
    return c ? to.fill(c) : undefined;
  };
}

/** `{ rewrite: { sender: { match, to } } }`: computed here, applied by the host to MAIL FROM. */
export function rewriteSenderAction(rewrite: (v: string) => string | undefined): EffectAction {
  return {
    kind: 'effect',
    name: 'rewrite.sender',
    build: (s) => {
      const from = s.ctx.input.sender ?? '';
      const to = from === '' ? undefined : rewrite(from);
      return to !== undefined && to !== from ? [{ type: 'rewriteSender', rule: s.rule, from, to }] : [];
    },
  };
}

/** `{ rewrite: { recipient: { match, to } } }`: the recipient being decided (rcpt) or each one (data). */
export function rewriteRecipientAction(rewrite: (v: string) => string | undefined): EffectAction {
  return {
    kind: 'effect',
    name: 'rewrite.recipient',
    build: (s) => {
      const list = s.ctx.stage === 'rcpt' && s.ctx.input.recipient !== undefined ? [s.ctx.input.recipient] : s.ctx.input.recipients;
      const out: Effect[] = [];
      for (const from of list) {
        const to = rewrite(from);
        if (to !== undefined && to !== from) out.push({ type: 'rewriteRecipient', rule: s.rule, from, to });
      }
      return out;
    },
  };
}

/** `{ bcc: address }`, `{ route: { via } }`: fixed effects. */
export function fixedAction(name: string, make: (rule: string) => Effect): EffectAction {
  return { kind: 'effect', name, build: (s) => [make(s.rule)] };
}
