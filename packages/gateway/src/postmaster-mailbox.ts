import type { CompiledPolicy } from '@mailward/core';
import type { GatewayConfig } from './config';
import { isDomainName } from './domain-name';

/**
 * The mailbox a bare `RCPT TO:<Postmaster>` reaches: gateway.yaml's `postmaster`, else
 * postmaster at the gateway's domain (`domain`, `--domain`), else at the first plain name of
 * the policy's `our-domains` list. None of them: the policy decides on `Postmaster` as given.
 */
export function postmasterMailbox(config: Pick<GatewayConfig, 'postmaster' | 'domain'>, policy: CompiledPolicy): string | undefined {
  if (config.postmaster) return config.postmaster;
  const domain = config.domain ?? policy.raw.lists?.['our-domains']?.find(isDomainName);
  return domain ? `postmaster@${domain}` : undefined;
}
