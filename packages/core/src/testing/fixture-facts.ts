import type { FactNeed, Facts, VirusFact } from '../facts/facts';
import type { CaseFacts } from './case';

/** What a case's facts are about: the names the session will ask `resolves` for. */
export interface FactSubjects {
  helo?: string;
  sender?: string;
  recipients: string[];
}

/**
 * Turns a case's fact fixture into engine `Facts`. A fact the case does not state gets the clean
 * answer (not listed in a DNSBL or RHSBL, score 0, no virus, greylist passed, names resolve, recipients exist), so a case only states
 * what it is about; `{ error }` states a failed lookup.
 */
export function factsFromFixture(fixture: CaseFacts | undefined, needs: readonly FactNeed[], subjects: FactSubjects): Facts {
  const f = fixture ?? {};
  const facts: Facts = {};
  const zones = needs.filter((n): n is Extract<FactNeed, { kind: 'dnsbl' }> => n.kind === 'dnsbl').map((n) => n.zone);
  const dnsbl: NonNullable<Facts['dnsbl']> = {};
  for (const zone of zones) dnsbl[zone] = [];
  Object.assign(dnsbl, f.dnsbl ?? {});
  facts.dnsbl = dnsbl;
  const rhsbl: NonNullable<Facts['rhsbl']> = {};
  for (const n of needs) if (n.kind === 'rhsbl') rhsbl[n.zone] = [];
  Object.assign(rhsbl, f.rhsbl ?? {});
  if (Object.keys(rhsbl).length > 0) facts.rhsbl = rhsbl;

  facts.spam = f.spam ? ('error' in f.spam ? { error: f.spam.error } : { ...f.spam }) : { score: 0 };
  facts.virus = f.virus ? ('error' in f.virus ? { error: f.virus.error } : virusFact(f.virus)) : { names: [], parts: {} };

  const greylist: NonNullable<Facts['greylist']> = {};
  const stated = f.greylist;
  for (const address of subjects.recipients) {
    if (stated === undefined) greylist[address] = 'pass';
    else if (typeof stated === 'string') greylist[address] = stated;
    else if ('error' in stated && typeof stated.error === 'string') greylist[address] = { error: stated.error };
    else greylist[address] = (stated as Record<string, 'pending' | 'pass'>)[address] ?? 'pass';
  }
  if (stated && typeof stated === 'object' && !('error' in stated)) Object.assign(greylist, stated);
  facts.greylist = greylist;

  const resolves: NonNullable<Facts['resolves']> = {};
  for (const name of namesOf(subjects)) resolves[name] = true;
  Object.assign(resolves, f.resolves ?? {});
  facts.resolves = resolves;

  const exists: NonNullable<Facts['recipientExists']> = {};
  for (const address of subjects.recipients) exists[address.toLowerCase()] = true;
  for (const [address, value] of Object.entries(f.recipientExists ?? {})) exists[address.toLowerCase()] = value;
  facts.recipientExists = exists;
  return facts;
}

/**
 * A stated virus as the clamd provider reports it: every part scanned (an unstated part is
 * clean), and `names` holding what the parts found too. A name no part holds is in the message
 * but in no part, as a uuencoded body gives: a `part: { virus }` rule cannot tell, and fails.
 */
function virusFact(stated: { names: string[]; parts?: Record<string, string[]> }): VirusFact {
  const parts = Object.fromEntries(Object.entries(stated.parts ?? {}).map(([path, names]) => [path, [...names]]));
  return { names: [...new Set([...stated.names, ...Object.values(parts).flat()])], parts };
}

// Every name a `resolves` condition can ask about: the HELO name and the address domains.
function namesOf(s: FactSubjects): string[] {
  const names = new Set<string>();
  if (s.helo) names.add(s.helo.toLowerCase());
  for (const address of [s.sender ?? '', ...s.recipients]) {
    const at = address.lastIndexOf('@');
    if (at > 0) names.add(address.slice(at + 1).toLowerCase());
  }
  return [...names];
}

/**
 * Why a stated `virus.parts` cannot be about this message: a path none of its parts has
 * (a typo, or a path of another message), which would otherwise read as a virus in no part.
 */
export function unknownVirusParts(fixture: CaseFacts | undefined, model: { parts: readonly { path: string }[] }): string | undefined {
  const stated = fixture?.virus && !('error' in fixture.virus) ? Object.keys(fixture.virus.parts ?? {}) : [];
  const paths = new Set(model.parts.map((p) => p.path));
  const unknown = stated.filter((p) => !paths.has(p));
  if (unknown.length === 0) return undefined;
  const known = [...paths].filter((p) => p !== '');
  return `virus.parts names ${unknown.map((p) => `"${p}"`).join(', ')}, which this message does not have (its parts: ${known.length ? known.join(', ') : 'none'}): name one of those`;
}

/**
 * Why facts a case states cannot be about its session: a DNSBL or RHSBL zone the policy never
 * asks, a greylist or recipient-verification answer for an address that is not a recipient (a
 * typo: `bbo@acme.example`). Such a case would pass while its fact tests nothing.
 */
export function unusedFacts(fixture: CaseFacts | undefined, needs: readonly FactNeed[], subjects: FactSubjects): string | undefined {
  if (!fixture) return undefined;
  const problems: string[] = [];
  for (const kind of ['dnsbl', 'rhsbl'] as const) {
    const asked = new Set(needs.flatMap((n) => (n.kind === kind ? [n.zone.toLowerCase()] : [])));
    const stated = fixture[kind];
    const unknown = stated ? Object.keys(stated).filter((z) => z !== 'error' && !asked.has(z.toLowerCase())) : [];
    if (unknown.length > 0) problems.push(`${kind} names ${unknown.map((z) => `"${z}"`).join(', ')}, a zone the policy does not ask (its ${kind} zones: ${[...asked].join(', ') || 'none'})`);
  }
  const recipients = new Set(subjects.recipients.map((r) => r.toLowerCase()));
  for (const kind of ['greylist', 'recipientExists'] as const) {
    const stated = fixture[kind];
    if (!stated || typeof stated !== 'object' || 'error' in stated) continue;
    const unknown = Object.keys(stated).filter((a) => !recipients.has(a.toLowerCase()));
    if (unknown.length > 0) problems.push(`${kind} names ${unknown.map((a) => `"${a}"`).join(', ')}, which is not a recipient of the case (its recipients: ${[...recipients].join(', ')})`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}
