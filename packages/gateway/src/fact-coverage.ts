import { STAGES, type CompiledPolicy, type FactNeed } from '@mailward/core';
import type { FactsConfig } from '@mailward/facts';

/** The gateway.yaml `facts` provider that gives each kind of fact. */
const PROVIDER: Readonly<Record<FactNeed['kind'], keyof FactsConfig>> = {
  dnsbl: 'dns', rhsbl: 'dns', resolves: 'dns', spam: 'spamd', virus: 'clamd', greylist: 'greylist', recipientExists: 'verify',
};

/**
 * The policy's rules that read a fact no configured provider gives (a virus rule without
 * facts.clamd): each such lookup fails at every message, and the rule's onError decides (by
 * default tempfail: 451 for all of them). One entry per rule and provider, to say at start.
 */
export function unprovidedFacts(policy: CompiledPolicy, facts: FactsConfig): { stage: string; rule: string; provider: string; problem: string }[] {
  const found: { stage: string; rule: string; provider: string; problem: string }[] = [];
  for (const stage of STAGES) {
    for (const rule of policy.stages[stage].rules) {
      const said = new Set<string>();
      for (const need of rule.needs) {
        const provider = PROVIDER[need.kind];
        if (facts[provider] || said.has(provider)) continue;
        said.add(provider);
        found.push({ stage, rule: rule.id, provider, problem: `rule ${rule.id} (${stage}) reads ${need.kind} but gateway.yaml has no facts.${provider}: every lookup fails and the rule's onError (${rule.onError}) decides` });
      }
    }
  }
  return found;
}
