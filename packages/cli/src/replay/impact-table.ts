import { HEADER_EFFECTS, type EffectType } from '@mailward/core';
import { STRIPS, type ImpactReport, type RuleImpact } from './impact-tally';

/** The replay report as a person reads it: one row per rule, then verdicts, envelope and failures. */
export function renderImpact(report: ImpactReport, title: string): string {
  const out: string[] = [title, ''];
  const rows = report.rules.map((r) => [r.rule, r.stage, String(r.messages), did(r)]);
  const head = ['rule', 'stage', 'messages', 'what it did'];
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 2 ? c.padStart(width[i]) : i === cells.length - 1 ? c : c.padEnd(width[i]))).join('  ').trimEnd();
  out.push(line(head));
  for (const [i, r] of rows.entries()) {
    out.push(line(r));
    for (const m of report.rules[i].examples) out.push(`    ${m.source}  ${m.subject === '' ? '(no subject)' : JSON.stringify(m.subject)}`);
  }
  out.push('');
  const v = report.verdicts;
  out.push(`verdicts: accepted ${v.accepted}, rejected ${v.rejected}, tempfailed ${v.tempfailed}, quarantined ${v.quarantined}, dropped ${v.dropped}`);
  out.push(`envelope: sender from ${origins(report.envelope.sender)}; recipients from ${origins(report.envelope.recipients)}`);
  out.push(`unreadable: ${report.messages.unreadable}`);
  for (const u of report.unreadable) out.push(`  ${u.source}: ${u.reason}`);
  if (report.ignored.count > 0) {
    const more = report.ignored.count > report.ignored.first.length ? ', ...' : '';
    const entries = report.ignored.count === 1 ? 'entry' : 'entries';
    out.push(`ignored ${report.ignored.count} folder ${entries} (not *.eml, not in a maildir): ${report.ignored.first.join(', ')}${more}`);
  }
  return `${out.join('\n')}\n`;
}

/** What a rule did, in words: "rejected 2, stripped 3 parts, edited headers on 5". */
function did(r: RuleImpact): string {
  const parts: string[] = [];
  const count = (n: number, text: string) => {
    if (n > 0) parts.push(text.replace('#', String(n)));
  };
  count(r.rejected, 'rejected #');
  count(r.tempfailed, 'tempfailed #');
  count(r.quarantined, 'quarantined #');
  count(r.dropped, 'dropped #');
  count(r.refusedRecipients, r.refusedRecipients === 1 ? 'refused # recipient' : 'refused # recipients');
  count(r.accepted, 'accepted #');
  count(r.strippedParts, r.strippedParts === 1 ? 'stripped # part' : 'stripped # parts');
  count(r.strippedBefore, r.strippedBefore === 1 ? 'matched # part already stripped by an earlier rule' : 'matched # parts already stripped by an earlier rule');
  count(r.editedHeaders, 'edited headers on #');
  for (const [type, n] of Object.entries(r.effects) as [EffectType, number][]) {
    if (!STRIPS.has(type) && !HEADER_EFFECTS.has(type)) count(n, type === 'log' ? 'logged #' : `${type} #`);
  }
  return parts.length > 0 ? parts.join(', ') : '-';
}

function origins(counts: Partial<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length > 0 ? entries.map(([k, n]) => `${k} ${n}`).join(', ') : '-';
}
