import type { Effect } from '../../engine/effect';
import { compileGlob } from '../../match/glob';
import { compileRewriteTemplate } from '../../match/rewrite-template';
import type { CompileScope, PolicyPath } from '../compile-scope';
import type { EffectAction } from '../compiled-policy';
import type { RawRewriteSpec } from '../raw-policy';

/** Compiles a `match` + `to` pair, reporting a `to` that names a wildcard `match` lacks. */
export function compileRewrite(spec: RawRewriteSpec, scope: CompileScope, path: PolicyPath): ((value: string) => string | undefined) | undefined {
  let glob;
  try {
    glob = compileGlob(spec.match, { nocase: true });
  } catch (err) {
    scope.error([...path, 'match'], `bad pattern "${spec.match}": ${(err as Error).message}`);
    return undefined;
  }
  const to = compileRewriteTemplate(spec.to);
  if (to.highest > glob.wildcards) {
    scope.error([...path, 'to'], `\`${spec.to}\` uses &${to.highest} but "${spec.match}" has ${glob.wildcards === 0 ? 'no wildcard' : `only ${glob.wildcards} wildcard${glob.wildcards > 1 ? 's' : ''}`}; use &1..&${glob.wildcards} or add a wildcard to \`match\``);
    return undefined;
  }
  return (value) => {
    const captures = glob.capture(value);
    return captures ? to.fill(captures) : undefined;
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
