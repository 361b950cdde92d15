import { STAGES, type Stage, type Verdict } from '../engine/stage';
import type { FactNeed } from '../facts/facts';
import type { Matcher } from '../match/matcher';
import { compileTextTemplate, type TextTemplate } from '../match/text-template';
import { compileAction } from './actions/compile-action';
import { noticeTextProblem } from './actions/control-characters';
import { compileTerminal } from './actions/terminal';
import { CompileScope, type PolicyPath, type Reporter } from './compile-scope';
import { compileWhen } from './compile-when';
import type { CompiledAction, CompiledPolicy, CompiledRule, CompiledSmtp, CompiledStage } from './compiled-policy';
import { deepFreeze } from './deep-freeze';
import { checkDuplicateRuleIds, type RuleIdPlace } from './duplicate-rule-ids';
import { lintPolicy } from './lint';
import { PolicyError, type PolicyProblem } from './policy-error';
import type { RawPolicy, RawReply, RawRule, RawStage, RawWhen } from './raw-policy';
import { problemAt, type PolicySource } from './problem-at';
import { templateNeeds } from './template-needs';
import { parseDuration, parseSize } from './units';
import { validateRawPolicy } from './validate-raw';


const DEFAULT_NOTICE = '[Attachment removed by mailward policy (type "{type}", filename "{filename}")]';
const RELAYING_DENIED = { reject: { code: 550, status: '5.7.1', text: 'Relaying denied' } };

/**
 * Validates a raw policy against the schema and turns it into the frozen CompiledPolicy `evaluate`
 * runs. Throws PolicyError listing every problem (errors and the warnings found alongside them)
 * when any is an error. `source` gives problems a file position (loadPolicy passes it).
 */
export function compilePolicy(raw: RawPolicy, source?: PolicySource): CompiledPolicy {
  const schema = validateRawPolicy(raw, source);
  if (schema.length === 0) return compileValid(raw, source, []);
  // Schema problems alone would hide the rest (an unknown list, a stage mistake) until the next
  // run, so compile anyway: the compiler skips what the schema rejected, an action or condition
  // whose unexpected shape trips it is dropped alone (CompileScope.despiteSchema), and if such a
  // shape trips it anywhere else, the schema problems stand alone. A value the schema already
  // refused is not refused twice (`gt: 5 MiB` would otherwise get one problem from each).
  const all = schema.map((s) => s.problem);
  try {
    compileValid(raw, source, schema.map((s) => s.path));
  } catch (err) {
    if (err instanceof PolicyError) all.push(...err.problems.filter((p) => !all.some((q) => q.line === p.line && q.col === p.col && q.message === p.message)));
  }
  throw new PolicyError(sortProblems(all));
}

function pathKey(path: PolicyPath): string {
  return JSON.stringify(path);
}

function compileValid(raw: RawPolicy, source: PolicySource | undefined, schemaPaths: readonly PolicyPath[]): CompiledPolicy {
  const problems: PolicyProblem[] = [];
  const file = source?.file ?? '<policy>';
  const refused = new Set(schemaPaths.map(pathKey));
  const push = (severity: 'error' | 'warning') => (path: PolicyPath, message: string, rule?: string): void => {
    if (severity === 'error' && refused.has(pathKey(path))) return;
    problems.push(problemAt(source, path, message, severity, rule));
  };
  const within = (path: PolicyPath): boolean => schemaPaths.some((p) => path.every((key, i) => p[i] === key));
  const reporter: Reporter = { error: push('error'), warning: push('warning'), refused: within };
  const lists = raw.lists ?? {};
  const usedLists = new Set<string>();
  const top = new CompileScope(reporter, lists, usedLists, 'connect', undefined);

  checkLists(lists, top);
  const noticeTemplate = compileNotice(raw.notice ?? DEFAULT_NOTICE, top);
  const ruleIds = new Map<string, RuleIdPlace[]>();
  const stages = {} as Record<Stage, CompiledStage>;
  for (const stage of STAGES) {
    stages[stage] = compileStage(stage, raw[stage], top, noticeTemplate, ruleIds);
  }
  checkDuplicateRuleIds(ruleIds, source, reporter);
  const clients: Matcher[] = (raw.outbound?.clients ?? []).length > 0 ? [top.matcher(raw.outbound!.clients!, 'ip', ['outbound', 'clients'])] : [];
  const smtp = compileSmtp(raw, top);
  lintPolicy(raw, stages, usedLists, reporter);

  if (problems.some((p) => p.severity === 'error')) throw new PolicyError(sortProblems(problems));
  const compiled: CompiledPolicy = {
    version: 1,
    ...(raw.name !== undefined ? { name: raw.name } : {}),
    notice: noticeTemplate?.source ?? DEFAULT_NOTICE,
    smtp,
    outbound: { clients },
    stages,
    warnings: sortProblems(problems),
    raw: deepFreeze(structuredClone(raw)),
    ...(source ? { file } : {}),
  };
  return deepFreeze(compiled);
}

function compileStage(stage: Stage, raw: RawStage | undefined, top: CompileScope, notice: TextTemplate | undefined, ruleIds: Map<string, RuleIdPlace[]>): CompiledStage {
  const scope = top.forRule(stage, undefined);
  const rawDefault = raw?.default ?? (stage === 'rcpt' ? RELAYING_DENIED : 'accept');
  const [verdict, spec] = typeof rawDefault === 'string' ? [rawDefault, null] : (Object.entries(rawDefault)[0] as [string, RawReply | null]);
  const def = compileTerminal(verdict as Verdict, spec, scope, typeof rawDefault === 'string' ? [stage, 'default'] : [stage, 'default', verdict]);
  const rules: CompiledRule[] = [];
  (raw?.rules ?? []).forEach((rule, i) => {
    const path = [stage, 'rules', i];
    const ruleScope = top.forRule(stage, rule.id);
    ruleIds.set(rule.id, [...(ruleIds.get(rule.id) ?? []), { stage, path: [...path, 'id'] }]);
    const compiled = compileRule(rule, ruleScope, path, notice);
    if (compiled) rules.push(compiled);
  });
  return { stage, default: { verdict: def.verdict, reply: def.reply }, rules, needs: reachableNeeds(rules) };
}

function compileRule(rule: RawRule, scope: CompileScope, path: PolicyPath, notice: TextTemplate | undefined): CompiledRule | undefined {
  const when = rule.when && Object.keys(rule.when).length > 0 ? compileWhen(rule.when, scope, [...path, 'when']) : undefined;
  const actx = { notice: notice ?? (compileTextTemplate(DEFAULT_NOTICE) as TextTemplate), hasPart: rule.when ? hasPositivePart(rule.when) : false };
  const actions: CompiledAction[] = [];
  let terminal = false;
  rule.do.forEach((raw, i) => {
    const action = scope.despiteSchema([...path, 'do', i], () => compileAction(raw, scope, [...path, 'do', i], actx));
    if (!action) return;
    if (action.kind === 'terminal') {
      if (terminal) scope.error([...path, 'do', i], 'a rule can have one terminal action (accept, reject, tempfail, drop, quarantine); remove one');
      terminal = true;
    }
    actions.push(action);
  });
  const needs = dedupeNeeds([...(when?.needs ?? []), ...templateNeeds(rule, actx.notice)]);
  return {
    id: rule.id,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    ...(when ? { when } : {}),
    actions,
    onError: rule.onError ?? 'tempfail',
    needs,
  };
}

/** Needs of the rules up to and including the first unconditional terminal one (later ones never run). */
function reachableNeeds(rules: CompiledRule[]): FactNeed[] {
  const needs: FactNeed[] = [];
  for (const rule of rules) {
    needs.push(...rule.needs);
    if (!rule.when && rule.actions.some((a) => a.kind === 'terminal')) break;
  }
  return dedupeNeeds(needs);
}

function dedupeNeeds(needs: readonly FactNeed[]): FactNeed[] {
  const byKey = new Map<string, FactNeed>();
  for (const n of needs) {
    const key = JSON.stringify(n);
    if (!byKey.has(key)) byKey.set(key, n);
  }
  return [...byKey.values()];
}

function hasPositivePart(when: RawWhen): boolean {
  if (when.part !== undefined) return true;
  return [...(when.any ?? []), ...(when.all ?? [])].some(hasPositivePart);
}

/** Lists hold patterns: a list inside a list is one more level of indirection to audit, so it is refused. */
function checkLists(lists: Readonly<Record<string, readonly string[]>>, scope: CompileScope): void {
  for (const [name, items] of Object.entries(lists)) {
    items.forEach((item, i) => {
      if (item.startsWith('@') && !item.includes('@', 1)) {
        scope.error(['lists', name, i], `list \`${name}\` refers to \`${item}\`; lists hold patterns, not other lists: copy its entries here`);
      }
    });
  }
}

function compileNotice(text: string, scope: CompileScope): TextTemplate | undefined {
  const control = noticeTextProblem(text);
  if (control !== undefined) scope.error(['notice'], control);
  const t = compileTextTemplate(text);
  if ('unknown' in t) {
    scope.error(['notice'], `unknown template field${t.unknown.length > 1 ? 's' : ''} ${t.unknown.map((u) => `{${u}}`).join(', ')}; the notice knows {type} {filename} {size} {rule} and the envelope fields`);
    return undefined;
  }
  return t;
}

function compileSmtp(raw: RawPolicy, scope: CompileScope): CompiledSmtp {
  const s = raw.smtp ?? {};
  const out: { -readonly [K in keyof CompiledSmtp]: CompiledSmtp[K] } = { hideKeywords: (s.hideKeywords ?? []).map((k) => k.toUpperCase()) };
  if (s.maxRecipients !== undefined) out.maxRecipients = s.maxRecipients;
  if (s.hardErrorLimit !== undefined) out.hardErrorLimit = s.hardErrorLimit;
  if (s.requireHelo !== undefined) out.requireHelo = s.requireHelo;
  for (const key of ['maxSize', 'idleTimeout', 'greetPause'] as const) {
    const value = s[key];
    if (value === undefined) continue;
    const parsed = key === 'maxSize' ? parseSize(value) : parseDuration(value);
    if (parsed === undefined) {
      scope.error(['smtp', key], key === 'maxSize' ? `\`${value}\` is not a size; write bytes or 10KB / 10MB / 1GB (1 KB = 1024 bytes)` : `\`${value}\` is not a duration; write 100ms, 30s, 10m, 1h or 1d`);
    } else out[key] = parsed;
  }
  return out;
}

function sortProblems(problems: PolicyProblem[]): PolicyProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}
