import type { FactNeed } from '@mailward/core';
import type { CaseFacts } from '@mailward/core/testing';

/**
 * The facts a policy reads that `eval` took as clean because --facts did not state them (eval
 * asks no scanner, DNS server or Redis): "virus: none found", "dnsbl zen.example: not listed".
 * Said with the verdict, so an EICAR message that a virus rule would hold is not read as passed.
 */
export function assumedFacts(needs: readonly FactNeed[], stated: CaseFacts | undefined): string[] {
  const f = stated ?? {};
  const said = new Set<string>();
  for (const need of needs) {
    if (need.kind === 'virus' && !f.virus) said.add('virus: none found');
    else if (need.kind === 'spam' && !f.spam) said.add('spam: score 0');
    else if (need.kind === 'dnsbl' && !f.dnsbl?.[need.zone]) said.add(`dnsbl ${need.zone}: not listed`);
    else if (need.kind === 'rhsbl' && !f.rhsbl?.[need.zone]) said.add(`rhsbl ${need.zone}: not listed`);
    else if (need.kind === 'resolves') said.add(f.resolves ? 'names not in --facts resolve' : 'every name resolves');
    else if (need.kind === 'greylist' && f.greylist === undefined) said.add('greylist: pass');
    else if (need.kind === 'recipientExists') said.add(f.recipientExists ? 'recipients not in --facts exist' : 'every recipient exists');
  }
  return [...said];
}
