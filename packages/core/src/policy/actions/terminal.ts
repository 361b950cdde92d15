import { defaultReply, REPLY_CLASSES } from '../../engine/replies';
import { TEMPLATE_FIELDS } from '../../match/text-template';
import type { Reply, Verdict } from '../../engine/stage';
import type { CompileScope, PolicyPath } from '../compile-scope';
import { addressProblem, checked } from './envelope-targets';
import type { TerminalAction } from '../compiled-policy';
import type { RawQuarantine, RawReply } from '../raw-policy';

/** The actions that end a stage. */
export const TERMINAL_VERDICTS: readonly Verdict[] = ['accept', 'reject', 'tempfail', 'drop', 'quarantine'];

/** Compiles `reject`, `{ reject: { code, status, text } }`, `{ quarantine: { reason, notify } }`... */
export function compileTerminal(verdict: Verdict, spec: RawQuarantine | RawReply | null | undefined, scope: CompileScope, path: PolicyPath): TerminalAction {
  if ((verdict === 'drop' || verdict === 'quarantine') && scope.stage !== 'data') {
    scope.error(path, `\`${verdict}\` decides what happens to a message, which exists only at \`data\`; move rule \`${scope.rule ?? '(default)'}\` to \`data\` or use \`reject\` / \`tempfail\``);
  }
  const reply = compileReply(verdict, spec ?? {}, scope, path);
  if (verdict !== 'quarantine') return { kind: 'terminal', verdict, reply };
  const q = (spec ?? {}) as RawQuarantine;
  const field = q.reason !== undefined ? templateFieldIn(q.reason) : undefined;
  if (field !== undefined) {
    // The reason is stored as written; a field would reach the quarantine as literal braces.
    scope.error([...path, 'reason'], `\`reason\` is plain text, so \`{${field}}\` would be stored as written; leave the field out (a \`log\` action in the same rule can record it)`);
  }
  const notify = q.notify ? scope.expand(q.notify, [...path, 'notify']).filter((n) => checked(n, addressProblem, scope)).map((n) => n.text) : [];
  if (q.forward !== undefined) checked({ text: q.forward, path: [...path, 'forward'] }, addressProblem, scope);
  return { kind: 'terminal', verdict, reply, quarantine: { reason: q.reason ?? scope.rule ?? 'policy', notify, ...(q.forward ? { forward: q.forward } : {}) } };
}

/** A reply with the verdict's defaults filled in; reports codes that contradict the verdict. */
export function compileReply(verdict: Verdict, spec: RawReply, scope: CompileScope, path: PolicyPath): Reply {
  const base = defaultReply(verdict, scope.stage);
  const code = spec.code ?? base.code;
  const classes = REPLY_CLASSES[verdict];
  if (!classes.includes(Math.floor(code / 100))) {
    scope.error([...path, 'code'], `\`${verdict}\` cannot answer ${code}; use a ${classes.map((c) => `${c}xx`).join(' or ')} code`);
  }
  let status = spec.status ?? (spec.code !== undefined ? `${Math.floor(code / 100)}.0.0` : base.status);
  if (spec.code !== undefined && spec.status === undefined && Math.floor(code / 100) === Math.floor(base.code / 100)) status = base.status;
  if (!/^[245]\.\d{1,3}\.\d{1,3}$/.test(status)) {
    scope.error([...path, 'status'], `status "${status}" is not an enhanced status code; write it like 5.7.1 (RFC 3463)`);
  } else if (Number(status[0]) !== Math.floor(code / 100)) {
    scope.error([...path, 'status'], `status ${status} disagrees with code ${code}; its first digit must be ${Math.floor(code / 100)}`);
  }
  // A reply is one line on the wire; hosts turn a line break into a space (smtp-server) or a
  // second line, so the client would not see the text the policy's tests check.
  if (spec.text !== undefined && /[\x00-\x1f\x7f]/.test(spec.text)) {
    scope.error([...path, 'text'], `reply \`text\` holds a line break or another control character, which an SMTP reply line cannot; write it on one line`);
  }
  const field = spec.text !== undefined ? templateFieldIn(spec.text) : undefined;
  if (field !== undefined) {
    // A reply is sent as written: the client would read the braces.
    scope.error([...path, 'text'], `reply \`text\` is plain text, so \`{${field}}\` would reach the client as written; leave the field out (a \`log\` action in the same rule can record it)`);
  }
  return { code, status, text: spec.text ?? base.text };
}

/** The first template field (`{helo}`, `{virus}`...) written in plain text, if any. */
function templateFieldIn(text: string): string | undefined {
  return [...text.matchAll(/\{([a-zA-Z.]+)\}/g)].map((m) => m[1]!).find((f) => (TEMPLATE_FIELDS as readonly string[]).includes(f));
}
