import type { Effect } from '../../engine/effect';
import { STAGES, type Stage, type Verdict } from '../../engine/stage';
import { isStructureField } from '../../message/structure-fields';
import { compileTextTemplate, type TextTemplate } from '../../match/text-template';
import type { CompileScope, PolicyPath } from '../compile-scope';
import type { CompiledAction, EffectAction } from '../compiled-policy';
import type { RawAction, RawEnvelopeRewrite, RawHeaderRewrite } from '../raw-policy';
import { compileRewrite, fixedAction, rewriteRecipientAction, rewriteSenderAction } from './envelope-actions';
import { lineTextProblem, noticeTextProblem } from './control-characters';
import { addressProblem, checked, hopProblem } from './envelope-targets';
import { htmlElementProblem } from './html-elements';
import { masqueradeFieldProblem, masqueradePatternProblem } from './masquerade-fields';
import { dropPartAction, stripAction } from './part-actions';
import { emptiesEveryField, everyFieldProblem, namesStructureFields, picksEveryField, structureEditProblem } from './structure-edits';
import { checkTemplateFields } from './template-stage';
import { fillJoined, fillPerPart } from './template-values';
import { compileTerminal, TERMINAL_VERDICTS } from './terminal';

/** The earliest stage each non-terminal action can act at (message edits need the message). */
const SINCE: Readonly<Record<string, Stage>> = {
  strip: 'data', 'drop-part': 'data', headers: 'data', masquerade: 'data', subject: 'data', stripHtml: 'data',
  'rewrite.header': 'data', 'rewrite.sender': 'mail', 'rewrite.recipient': 'rcpt', bcc: 'mail', route: 'rcpt', log: 'connect',
};

export interface ActionContext {
  /** The policy's notice template (or the built-in one). */
  notice: TextTemplate;
  /** Whether the rule has a `part` condition outside any `not` (so `strip` knows what to strip). */
  hasPart: boolean;
}

/** Compiles one entry of a rule's `do`; undefined after reporting when it cannot be compiled. */
export function compileAction(raw: RawAction, scope: CompileScope, path: PolicyPath, actx: ActionContext): CompiledAction | undefined {
  const [name, spec] = typeof raw === 'string' ? [raw, null] : (Object.entries(raw)[0] as [string, unknown]);
  if ((TERMINAL_VERDICTS as readonly string[]).includes(name)) {
    return compileTerminal(name as Verdict, spec as never, scope, typeof raw === 'string' ? path : [...path, name]);
  }
  const at = typeof raw === 'string' ? path : [...path, name];
  const kind = name === 'rewrite' ? rewriteKind(spec as RawHeaderRewrite | RawEnvelopeRewrite, scope, at) : name;
  if (kind === undefined) return undefined;
  const since = SINCE[kind];
  if (since !== undefined && STAGES.indexOf(scope.stage) < STAGES.indexOf(since)) {
    scope.error(at, `\`${kind}\` cannot act at stage \`${scope.stage}\` (it needs \`${since}\`); move rule \`${scope.rule}\` to \`${since}\``);
    return undefined;
  }
  switch (kind) {
    case 'strip':
    case 'drop-part': {
      if (!actx.hasPart) {
        scope.error(at, `\`${kind}\` removes the parts the rule's \`part\` condition matched, and rule \`${scope.rule}\` has none; add \`when: { part: {...} }\``);
        return undefined;
      }
      if (kind === 'drop-part') return dropPartAction();
      const notice = (spec as { notice?: string } | null)?.notice;
      const noticeProblem = notice !== undefined ? noticeTextProblem(notice) : undefined;
      if (noticeProblem !== undefined) scope.error([...at, 'notice'], noticeProblem);
      const template = notice !== undefined ? compileTemplate(notice, scope, [...at, 'notice'], true) : actx.notice;
      return template ? stripAction(template) : undefined;
    }
    case 'headers': return headersAction(spec as HeadersSpec, scope, at, actx.hasPart);
    case 'rewrite.header': {
      const r = spec as RawHeaderRewrite;
      const missing = (['match', 'to'] as const).filter((k) => typeof r[k] !== 'string');
      if (missing.length > 0) {
        scope.error(at, `\`rewrite\` of header \`${r.header}\` needs ${missing.map((k) => `\`${k}\``).join(' and ')}: \`{ header: ${r.header}, match: "*@old.example", to: "&@new.example" }\` (\`to: ""\` removes the field)`);
        return undefined;
      }
      const header = scope.headerName(r.header, [...at, 'header']);
      const rewrite = compileRewrite(r, scope, at);
      if (!rewrite || !header) return undefined;
      if (namesStructureFields(r.header)) scope.error([...at, 'header'], structureEditProblem(r.header, 'rewrite'));
      else if (emptiesEveryField(r.header, r.to, rewrite)) scope.error([...at, 'header'], everyFieldProblem(r.header, 'rewrite'));
      return fixedAction(kind, (rule) => ({ type: 'rewriteHeader', rule, header: r.header, match: r.match, to: r.to }));
    }
    case 'rewrite.sender':
    case 'rewrite.recipient': {
      const r = spec as RawEnvelopeRewrite;
      const which = kind === 'rewrite.sender' ? 'sender' : 'recipient';
      const fn = compileRewrite(r[which]!, scope, [...at, which]);
      if (!fn) return undefined;
      return which === 'sender' ? rewriteSenderAction(fn) : rewriteRecipientAction(fn);
    }
    case 'masquerade': {
      const m = spec as { domain?: string; headers?: string[]; messageId?: boolean };
      const domain = m.domain;
      if (domain === undefined) return undefined; // the schema says `masquerade` needs `domain`
      if (!/^[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?)+$/u.test(domain)) {
        scope.error([...at, 'domain'], `\`${domain}\` is not a domain name: masquerade writes it into addresses and Message-IDs, so give the plain domain (\`acme.example\`), not a pattern`);
        return undefined;
      }
      const notAddresses = (text: string, path: PolicyPath): void => {
        const problem = /[*?[{]/.test(text) || text.startsWith('re:') ? masqueradePatternProblem(text) : masqueradeFieldProblem(text);
        if (problem !== undefined) scope.warning(path, problem);
      };
      const headers = m.headers ? scope.headerNames(m.headers, [...at, 'headers'], notAddresses) : ['From', 'Sender', 'Reply-To'];
      // `headers: []` (or only empty lists) masquerades no field: without messageId, nothing at all.
      if (m.headers?.every((h) => h.startsWith('@') && !h.includes('@', 1) && scope.lists[h.slice(1)]?.length === 0) && m.messageId !== true) {
        scope.error([...at, 'headers'], `\`headers\` names no field, so this masquerade changes nothing; name the address fields (\`headers: [From, Sender, Reply-To]\`, or leave \`headers\` out for those three), or add \`messageId: true\` to masquerade only the message ids`);
        return undefined;
      }
      return fixedAction(kind, (rule) => ({ type: 'masquerade', rule, domain: domain.toLowerCase(), headers: [...headers], messageId: m.messageId ?? false }));
    }
    case 'subject': {
      const prefix = (spec as { prefix: string }).prefix;
      if (prefix.trim() === '') {
        scope.error([...at, 'prefix'], '`prefix` is empty: give the text to put before the subject, such as "[SPAM] "');
        return undefined;
      }
      const control = lineTextProblem(prefix, 'the `prefix`');
      if (control !== undefined) scope.error([...at, 'prefix'], control);
      // A template, as a header added is: "[SPAM {spam.score}] ". Part fields name every matched part.
      const template = compileTemplate(prefix, scope, [...at, 'prefix'], actx.hasPart);
      if (!template) return undefined;
      return {
        kind: 'effect',
        name: kind,
        build: (s) => {
          const filled = fillJoined(template, s);
          return filled.trim() === '' ? [] : [{ type: 'subjectPrefix', rule: s.rule, prefix: filled }];
        },
      };
    }
    case 'stripHtml': {
      const elements = scope.expand(spec as string[], at).filter((e) => checked(e, htmlElementProblem, scope)).map((e) => e.text.toLowerCase());
      return fixedAction(kind, (rule) => ({ type: 'stripHtml', rule, elements: [...elements] }));
    }
    case 'bcc': {
      const addresses = scope.expand(spec as string, at).filter((a) => checked(a, addressProblem, scope)).map((a) => a.text);
      return { kind: 'effect', name: kind, build: (s) => addresses.map((address): Effect => ({ type: 'bcc', rule: s.rule, address })) };
    }
    case 'route': {
      const via = scope.expand((spec as { via: string[] }).via, [...at, 'via']).filter((v) => checked(v, hopProblem, scope)).map((v) => v.text);
      return fixedAction(kind, (rule) => ({ type: 'route', rule, via: [...via] }));
    }
    case 'log': {
      const template = compileTemplate(spec as string, scope, at, actx.hasPart);
      if (!template) return undefined;
      return { kind: 'effect', name: kind, build: (s) => fillPerPart(template, s).map((text): Effect => ({ type: 'log', rule: s.rule, text })) };
    }
    default:
      return undefined; // unknown actions were reported by the schema
  }
}

type HeadersSpec = { remove?: string[]; keep?: string[]; add?: Record<string, string> };

function headersAction(spec: HeadersSpec, scope: CompileScope, at: PolicyPath, hasPart: boolean): EffectAction | undefined {
  const notStructure = (text: string, path: PolicyPath): void => {
    if (namesStructureFields(text)) scope.error(path, structureEditProblem(text, 'remove'));
    else if (picksEveryField(text)) scope.error(path, everyFieldProblem(text, 'remove'));
  };
  const remove = spec.remove ? scope.headerNames(spec.remove, [...at, 'remove'], notStructure) : undefined;
  const keep = spec.keep ? scope.headerNames(spec.keep, [...at, 'keep']) : undefined;
  // An allowlist of nothing strips From, To, Date, Subject and Message-ID from every message.
  if (spec.keep && spec.keep.every((k) => k.startsWith('@') && !k.includes('@', 1) && scope.lists[k.slice(1)]?.length === 0)) {
    const what = spec.keep.length === 0 ? '`keep: []` keeps' : `\`keep\` names only empty lists (${spec.keep.join(', ')}), so it keeps`;
    scope.error([...at, 'keep'], `${what} no field but MIME-Version and Content-*, and would remove From, To, Date, Subject and Message-ID from every message; list the fields to keep (\`keep: [From, To, Cc, Subject, Date, Message-ID]\`), or use \`remove\` to take out the ones you name`);
    return undefined;
  }
  if (spec.remove && spec.remove.length === 0) scope.warning([...at, 'remove'], '`remove: []` removes nothing; name the fields to remove, or leave `remove` out');
  const add: [string, TextTemplate][] = [];
  for (const [name, value] of Object.entries(spec.add ?? {})) {
    const path = [...at, 'add', name];
    if (value.trim() === '') scope.warning(path, `adds an empty "${name}:" field to every message; give it a value, or leave it out`);
    const control = lineTextProblem(value, `the value of "${name}"`);
    if (control !== undefined) scope.error(path, control);
    // `X-Tag:` is told what to write, as in conditions; a name off the ASCII rule otherwise, as it is.
    const shaped = name.startsWith('re:') || scope.fieldNameShape(name, path);
    if (shaped && !/^[!-9;-~]+$/.test(name)) scope.error(path, `"${name}" is not a valid header field name (printable ASCII without spaces or colons)`);
    // These describe the body's structure: a second Content-Type would make readers disagree on the parts.
    else if (shaped && isStructureField(name)) scope.error(path, `"${name}" describes the message's MIME structure and cannot be added; add an X- field instead`);
    const t = compileTemplate(value, scope, path, hasPart);
    if (t) add.push([name, t]);
  }
  return {
    kind: 'effect',
    name: 'headers',
    build: (s) => {
      const out: Effect[] = [];
      if (remove) out.push({ type: 'removeHeaders', rule: s.rule, names: [...remove] });
      if (keep) out.push({ type: 'keepHeaders', rule: s.rule, names: [...keep] });
      // A part field ({filename}, {type}...) names every matched part: one field, its values joined.
      for (const [name, t] of add) out.push({ type: 'addHeader', rule: s.rule, name, value: fillJoined(t, s) });
      return out;
    },
  };
}

/**
 * Which rewrite an entry is: exactly one of header, sender and recipient, since the schema
 * cannot say so; undefined after reporting otherwise (a second target was silently ignored).
 */
function rewriteKind(spec: RawHeaderRewrite | RawEnvelopeRewrite, scope: CompileScope, at: PolicyPath): string | undefined {
  const targets = (['header', 'sender', 'recipient'] as const).filter((k) => k in spec);
  if (targets.length === 0) {
    scope.error(at, '`rewrite` needs what it rewrites: `header` (with `match` and `to`), `sender: { match, to }` or `recipient: { match, to }`');
    return undefined;
  }
  if (targets.length > 1) {
    scope.error(at, `\`rewrite\` has ${targets.map((k) => `\`${k}\``).join(' and ')}: one per entry; give the other an entry of its own`);
    return undefined;
  }
  const target = targets[0]!;
  if (target !== 'header' && ('match' in spec || 'to' in spec)) {
    scope.error(at, `\`match\` and \`to\` beside \`${target}\` belong to a header rewrite; write them inside it: \`${target}: { match, to }\``);
    return undefined;
  }
  return `rewrite.${target}`;
}

/** Compiles a `{field}` template, reporting unknown fields and fields that are always empty there. */
export function compileTemplate(source: string, scope: CompileScope, path: PolicyPath, hasPart: boolean): TextTemplate | undefined {
  const t = compileTextTemplate(source);
  if ('unknown' in t) {
    scope.error(path, `unknown template field${t.unknown.length > 1 ? 's' : ''} ${t.unknown.map((u) => `{${u}}`).join(', ')}; known: {rule} {sender} {recipient} {client} {helo} {spam.score} {spam.symbols} {spam.level} {spam.threshold} {spam.status} {virus} {type} {filename} {size}`);
    return undefined;
  }
  checkTemplateFields(t, scope, path, hasPart);
  return t;
}
