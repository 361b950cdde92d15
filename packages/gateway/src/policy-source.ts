import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyError, formatProblem, loadPolicy, type CompiledPolicy } from '@mailward/core';
import { parseDocument } from 'yaml';
import { domainProblem } from './domain-name';

/** The Firebox inbound example shipped with the gateway (kept equal to examples/ by a test). */
export const BUILTIN_POLICY = join(__dirname, '..', 'default-policy.yaml');
/** gateway.yaml's name for it, the only built-in policy. */
export const BUILTIN_NAME = 'builtin:firebox-inbound';

/**
 * The size limit when the policy sets none (Postfix's message_size_limit is about the same):
 * without one a single client could fill the spool's disk.
 */
export const DEFAULT_MAX_SIZE = 10 * 1024 * 1024;

/**
 * Load the gateway's policy: a file, or `builtin:firebox-inbound`. With `domain`, the list
 * `our-domains` becomes that domain and its subdomains. A policy without `smtp.maxSize` gets
 * DEFAULT_MAX_SIZE.
 */
export function loadGatewayPolicy(policy: string, domain?: string, domainFrom = '--domain'): CompiledPolicy {
  const file = policy === BUILTIN_NAME ? BUILTIN_POLICY : policy;
  let text = readFileSync(file, 'utf8');
  if (domain) {
    // Checked here too, for a config built in code: `*` here would accept mail for every domain.
    const bad = domainProblem(domain);
    if (bad) throw new Error(`${domainFrom}: ${bad}`);
    const doc = parseDocument(text);
    if (!doc.hasIn(['lists', 'our-domains'])) {
      throw new Error(`${domainFrom} ${domain} replaces the policy's list our-domains, but ${file} has no list named our-domains: add one to the policy (lists: { our-domains: [${domain}] }), or leave out ${domainFrom === '--domain' ? '--domain' : 'domain:'}`);
    }
    doc.setIn(['lists', 'our-domains'], [domain, `*.${domain}`]);
    text = doc.toString();
  }
  const loaded = loadPolicy(text, file);
  return loaded.smtp.maxSize ? loaded : { ...loaded, smtp: { ...loaded.smtp, maxSize: DEFAULT_MAX_SIZE } };
}

/**
 * What keeps the policy from loading as the gateway would load it (its problems, each at its
 * file:line:col, or why `domain` cannot replace its our-domains), so that serve tells them with
 * gateway.yaml's own; empty when it loads.
 */
export function gatewayPolicyProblems(policy: string, domain?: string, domainFrom?: string): string[] {
  try {
    loadGatewayPolicy(policy, domain, domainFrom);
    return [];
  } catch (err) {
    return err instanceof PolicyError ? err.problems.map(formatProblem) : [(err as Error).message];
  }
}
