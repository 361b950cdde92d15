import type { Decision, Effect, Reply, RuleTrace, SessionResult } from '@mailward/core';

/** The parts of the engine's session result that `eval` prints. */
export type SessionView = SessionResult;

/** The session as a person reads it: verdict first, then recipients, effects and each stage's trace. */
export function renderSession(r: SessionView, env: { sender: string; client: string; helo: string }): string {
  const out: string[] = [];
  out.push(`${r.verdict.toUpperCase()} at ${r.stage}: ${reply(r.reply)}`);
  const held = quarantineOf(r);
  if (held) {
    const forward = held.forward !== undefined ? `, sent to the quarantine mailbox ${held.forward}` : '';
    out.push(`  quarantine reason ${held.reason}, notify ${held.notify.length > 0 ? held.notify.join(', ') : '(nobody)'}${forward}`);
  }
  out.push(`  client ${env.client}, helo ${env.helo}, from <${env.sender}>`);
  out.push('recipients:');
  const width = Math.max(...r.recipients.map((x) => x.address.length), 10);
  for (const x of r.recipients) out.push(`  ${x.address.padEnd(width)}  ${x.verdict.padEnd(10)} ${reply(x.reply)}`);
  out.push(`fired: ${r.fired.length > 0 ? r.fired.join(', ') : '(none)'}`);
  out.push(`effects:${r.effects.length > 0 ? '' : ' (none)'}`);
  for (const e of r.effects) out.push(`  ${effect(e)}`);
  out.push('trace:');
  // The engine keeps decisions and trace entries one for one; the trace names the recipient.
  r.decisions.forEach((d, i) => {
    const recipient = r.trace[i]?.recipient;
    const who = recipient !== undefined ? ` ${recipient}` : '';
    out.push(`  ${d.stage}${who}: ${d.verdict} (${d.rule ? `rule ${d.rule}` : 'stage default'}; ${reply(d.reply)})`);
    out.push(...renderTrace(d.trace));
  });
  return `${out.join('\n')}\n`;
}

/** The quarantine (reason, whom to notify) of a session that ended in one: the deciding stage's. */
export function quarantineOf(r: SessionView): Decision['quarantine'] {
  if (r.verdict !== 'quarantine') return undefined;
  return r.decisions.filter((d) => d.stage === r.stage && d.quarantine !== undefined).pop()?.quarantine;
}

/** A stage's trace, a rule per line and a condition per line under it (as eval prints it). */
export function renderTrace(trace: readonly RuleTrace[]): string[] {
  return trace.length === 0 ? ['    (no rules)'] : trace.flatMap(rule);
}

function rule(t: RuleTrace): string[] {
  const mark = !t.reached ? '-' : t.matched ? '+' : '.';
  const state = !t.reached ? 'not reached' : t.matched ? 'matched' : 'no match';
  // The engine's note for an unreached rule starts with "not reached:" too: say it once.
  const note = t.note?.replace(/^not reached: /, '');
  const lines = [`    ${mark} ${t.rule}: ${state}${note ? ` (${note})` : ''}`];
  for (const c of t.conditions) {
    const pattern = c.pattern !== undefined ? ` vs ${c.pattern}` : '';
    // A `not` comes after the lines of what it negates; its value is whether that held.
    const line = c.pattern === 'not' ? `${c.condition}: what it negates ${c.value === true ? 'held' : 'did not hold'}` : `${c.condition} = ${short(c.value)}${pattern}`;
    lines.push(`        ${c.result ? 'yes' : 'no '} ${line}`);
  }
  return lines;
}

function effect(e: Effect): string {
  const { type, rule: by, ...rest } = e;
  const detail = Object.entries(rest)
    .map(([k, v]) => `${k}=${short(v)}`)
    .join(' ');
  return `${type} (${by}) ${detail}`;
}

function reply(r: Reply): string {
  return `${r.code} ${r.status} ${r.text}`;
}

function short(v: unknown): string {
  const text = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
