import * as path from 'node:path';
import { parseDuration } from '@mailward/core';
import { HarakaSettingsError } from './settings-error';

/** Where the policy comes from: a file (watched) or a policy written inside mailward.yaml. */
export type PolicySource = { kind: 'file'; path: string } | { kind: 'inline'; policy: Record<string, unknown> };

/** config/mailward.yaml, checked. */
export interface HarakaSettings {
  policy: PolicySource;
  /** Key for masquerade's keyed Message-ID hash; required when a rule masquerades Message-IDs. */
  secret: string;
  /** Time budget for each fact lookup (DNSBL, spamd, clamd...), in milliseconds. */
  factTimeoutMs: number;
  /** Passed to @mailward/facts createFactProviders; absent means no providers of our own. */
  facts?: Record<string, unknown>;
  /** Directory where quarantined messages are written when queue/quarantine is not used. */
  quarantineDir?: string;
  /** Read spamassassin / clamd / dns-list results other plugins left in transaction.results. */
  useHarakaResults: boolean;
}

const KNOWN = new Set(['policy', 'secret', 'factTimeout', 'facts', 'quarantine', 'useHarakaResults']);

/** Checks the parsed mailward.yaml; relative paths are taken from Haraka's config directory. */
export function parseSettings(raw: unknown, configDir: string): HarakaSettings {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HarakaSettingsError('expected a map with at least `policy: <path to policy.yaml>`');
  }
  const doc = raw as Record<string, unknown>;
  for (const key of Object.keys(doc)) {
    if (!KNOWN.has(key)) {
      throw new HarakaSettingsError(`unknown key \`${key}\`; known keys are ${[...KNOWN].join(', ')}`);
    }
  }
  const settings: HarakaSettings = {
    policy: policySource(doc.policy, configDir),
    secret: optionalString(doc.secret, 'secret') ?? '',
    factTimeoutMs: doc.factTimeout === undefined ? 5000 : duration(doc.factTimeout, 'factTimeout'),
    useHarakaResults: doc.useHarakaResults === undefined ? true : bool(doc.useHarakaResults, 'useHarakaResults'),
  };
  if (doc.facts !== undefined) {
    if (doc.facts === null || typeof doc.facts !== 'object' || Array.isArray(doc.facts)) {
      throw new HarakaSettingsError('`facts` must be a map (the @mailward/facts configuration)');
    }
    settings.facts = doc.facts as Record<string, unknown>;
  }
  if (doc.quarantine !== undefined) {
    const q = doc.quarantine as Record<string, unknown> | null;
    const dir = q && typeof q === 'object' ? optionalString(q.dir, 'quarantine.dir') : undefined;
    if (!dir) throw new HarakaSettingsError('`quarantine` must be `{ dir: /path/to/quarantine }`');
    settings.quarantineDir = path.resolve(configDir, dir);
  }
  return settings;
}

function policySource(value: unknown, configDir: string): PolicySource {
  if (typeof value === 'string' && value.trim() !== '') {
    return { kind: 'file', path: path.resolve(configDir, value.trim()) };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return { kind: 'inline', policy: value as Record<string, unknown> };
  }
  throw new HarakaSettingsError(
    '`policy` is missing: give a file path (`policy: mailward-policy.yaml`, relative to config/) or write the policy inline under `policy:`',
  );
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new HarakaSettingsError(`\`${key}\` must be a string`);
  return value;
}

function bool(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw new HarakaSettingsError(`\`${key}\` must be true or false`);
  return value;
}

/**
 * Milliseconds for `800ms`, `5s`, `1h`... (core's units). A bare number is refused rather than
 * guessed: `5` meant five seconds to the operator who wrote it and was taken as 5 ms.
 */
function duration(value: unknown, key: string): number {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value))) {
    throw new HarakaSettingsError(`\`${key}: ${String(value).trim()}\` has no unit: write one, such as ${String(value).trim()}s or ${String(value).trim()}ms (units ms, s, m, h, d)`);
  }
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms <= 0) throw new HarakaSettingsError(`\`${key}\` must be a duration such as 5s or 800ms (units ms, s, m, h, d)`);
  return ms;
}
