import type { Direction } from '@mailward/core';
import type { DeliveryConfig } from './delivery/delivery-config';
import type { ImapServer } from './imap-login';
import type { LogLevel } from './log';

/** One listening socket. */
export interface ListenerConfig {
  /** host:port ("127.0.0.1:2525", "[::]:25"). */
  listen: string;
  /** The zone this listener serves; absent: the policy's `outbound.clients` decide. */
  direction?: Direction;
  /** PEM files for STARTTLS (or implicit TLS with `secure`); TLS 1.2 at least. */
  tls?: { key: string; cert: string };
  secure?: boolean;
  /**
   * Submission: offer AUTH PLAIN/LOGIN (only over TLS), checked against a password file, an IMAP
   * server, or both (the file first; a yes from either passes).
   */
  auth?: { passwords?: string; imap?: ImapServer };
}

/** gateway.yaml, with defaults filled in. */
export interface GatewayConfig {
  hostname: string;
  policy: string;
  /** Replace the policy's `our-domains` list (the embedded default's `--domain`). */
  domain?: string;
  /** Where `domain` was set ("gateway.yaml:3:9: domain", "--domain"), for the messages about it. */
  domainFrom?: string;
  listeners: ListenerConfig[];
  spool: string;
  /** Most messages in the queue; over it MAIL FROM gets 452 4.3.1. */
  spoolLimit?: number;
  delivery: DeliveryConfig;
  queue: { scanPeriod: number; resendPeriod: number; abandonTime: number; maxBackoff: number; maxConns?: number };
  facts?: Record<string, unknown>;
  /** HMAC key for masqueraded Message-IDs; absent: a random one kept in the spool (spool/secret). */
  secret?: string;
  /** `format` absent: readable on a terminal, JSON lines otherwise. */
  log: { level: LogLevel; format?: 'json' | 'pretty' };
  /** Bounces also go here. */
  postmaster?: string;
  /** Drop to this user (and its group) once the listeners are bound, e.g. to bind port 25 as root. */
  user?: string;
  /** Admin HTTP listener (/metrics, /healthz); off when absent. Keep it on loopback. */
  admin?: { listen: string };
  /** Quarantined messages are deleted after this many days (0: kept). */
  quarantine: { retentionDays: number };
}

/** The embedded default: the Firebox inbound example on loopback, mail into ./var/mail. */
export function defaultConfig(cwd: string): GatewayConfig {
  return {
    hostname: 'mailward.localhost',
    policy: 'builtin:firebox-inbound',
    listeners: [{ listen: '127.0.0.1:2525' }],
    spool: `${cwd}/var/spool`,
    delivery: { mode: 'maildir', maildir: `${cwd}/var/mail` },
    queue: { scanPeriod: 2000, resendPeriod: 600_000, abandonTime: 5 * 86_400_000, maxBackoff: 4 * 3_600_000 },
    log: { level: 'info' },
    quarantine: { retentionDays: 30 },
  };
}
