import * as path from 'node:path';
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
    factTimeoutMs: duration(doc.factTimeout ?? 5000),
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

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

function duration(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  const m = typeof value === 'string' ? /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value) : null;
  if (!m) throw new HarakaSettingsError('`factTimeout` must be a duration such as 5s or 800ms');
  return Number(m[1]) * UNITS[m[2] ?? 'ms']!;
}
