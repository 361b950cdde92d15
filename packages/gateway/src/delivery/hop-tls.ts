import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { DeliveryConfig, HopTls } from './delivery-config';

/** The kinds of next hop, which differ in how much they trust the other end. */
export type HopKind = 'hub' | 'smarthost' | 'mx';

/** What a connection to a hop of this kind requires of TLS, defaults filled in. */
export interface TlsPolicy {
  ca?: string;
  rejectUnauthorized: boolean;
  requireTLS: boolean;
}

/**
 * A smarthost that gets our password must show a certificate we trust and take STARTTLS
 * first; hubs (internal certificates) and MX hosts (RFC 7435 opportunistic TLS) use TLS
 * when offered without checking the certificate, unless configured otherwise.
 */
export function tlsPolicyFor(kind: HopKind, config: DeliveryConfig): TlsPolicy {
  const credentials = kind === 'smarthost' && Boolean(config.smarthost?.user);
  const given: HopTls = (kind === 'smarthost' ? config.smarthost?.tls : kind === 'mx' ? config.mx?.tls : config.tls) ?? {};
  return {
    ...(given.ca ? { ca: given.ca } : {}),
    rejectUnauthorized: given.rejectUnauthorized ?? credentials,
    requireTLS: given.requireTLS ?? credentials,
  };
}

/** The nodemailer options for that policy toward `host` (`name`: the host name a certificate must match). */
export function tlsOptions(policy: TlsPolicy, host: string, port: number, name = host): Record<string, unknown> {
  const implicit = port === 465;
  return {
    secure: implicit,
    requireTLS: policy.requireTLS && !implicit,
    // Not required: a STARTTLS answered 454 leaves the session in clear (RFC 3207), without AUTH.
    opportunisticTLS: !policy.requireTLS,
    tls: {
      rejectUnauthorized: policy.rejectUnauthorized,
      minVersion: 'TLSv1.2',
      ...(policy.ca ? { ca: readFileSync(policy.ca) } : {}),
      ...(isIP(name) ? {} : { servername: name }),
    },
  };
}
