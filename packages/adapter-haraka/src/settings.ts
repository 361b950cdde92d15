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
  /** The mailbox a bare `RCPT TO:<Postmaster>` stands for (RFC 5321 4.5.1). */
  postmaster?: string;
}

const KNOWN = new Set(['policy', 'secret', 'factTimeout', 'facts', 'quarantine', 'useHarakaResults', 'postmaster']);

/** Where a key of mailward.yaml is written (`line:col`), when the file's text is known. */
export type SettingsLocator = (path: readonly string[]) => { line: number; col: number };

/** One mistake, at the key it is about. */
class Problem extends Error {
  constructor(readonly key: readonly string[], message: string) {
    super(message);
  }
}

/**
 * Checks the parsed mailward.yaml; relative paths are taken from Haraka's config directory.
 * Every mistake is reported at once, each at its line and column when `locate` knows them.
 */
export function parseSettings(raw: unknown, configDir: string, locate?: SettingsLocator): HarakaSettings {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HarakaSettingsError('expected a map with at least `policy: <path to policy.yaml>`');
  }
  const doc = raw as Record<string, unknown>;
  const problems: Problem[] = [];
  const check = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      problems.push(err);
      return undefined;
    }
  };
  for (const key of Object.keys(doc)) {
    if (!KNOWN.has(key)) problems.push(new Problem([key], `unknown key \`${key}\`; known keys are ${[...KNOWN].join(', ')}`));
  }
  const policy = check(() => policySource(doc.policy, configDir));
  const secret = check(() => optionalString(doc.secret, 'secret')) ?? '';
  const factTimeoutMs = doc.factTimeout === undefined ? 5000 : check(() => duration(doc.factTimeout, 'factTimeout'));
  const useHarakaResults = doc.useHarakaResults === undefined ? true : check(() => bool(doc.useHarakaResults, 'useHarakaResults'));
  const facts = doc.facts;
  if (facts !== undefined && (facts === null || typeof facts !== 'object' || Array.isArray(facts))) {
    problems.push(new Problem(['facts'], '`facts` must be a map (the @mailward/facts configuration)'));
  }
  const postmaster = check(() => optionalString(doc.postmaster, 'postmaster'));
  if (postmaster !== undefined && !/^[^@\s<>]+@[^@\s<>]+$/.test(postmaster)) {
    problems.push(new Problem(['postmaster'], `\`postmaster: ${postmaster}\` is not an address: write the mailbox a bare <Postmaster> stands for, such as postmaster@acme.example`));
  }
  let quarantineDir: string | undefined;
  if (doc.quarantine !== undefined) {
    const q = doc.quarantine as Record<string, unknown> | null;
    const dir = q && typeof q === 'object' ? check(() => optionalString(q.dir, 'quarantine.dir')) : undefined;
    if (!dir) problems.push(new Problem(['quarantine'], '`quarantine` must be `{ dir: /path/to/quarantine }`'));
    else quarantineDir = path.resolve(configDir, dir);
  }
  if (problems.length > 0 || !policy || factTimeoutMs === undefined || useHarakaResults === undefined) {
    const at = (p: Problem): string => {
      const pos = locate?.(p.key);
      return pos ? `${pos.line}:${pos.col}: ${p.message}` : ` ${p.message}`;
    };
    throw new HarakaSettingsError(problems.map(at).join('\nconfig/mailward.yaml:'), true);
  }
  return {
    policy, secret, factTimeoutMs, useHarakaResults,
    ...(facts !== undefined ? { facts: facts as Record<string, unknown> } : {}),
    ...(quarantineDir !== undefined ? { quarantineDir } : {}),
    ...(postmaster !== undefined ? { postmaster } : {}),
  };
}

function policySource(value: unknown, configDir: string): PolicySource {
  if (typeof value === 'string' && value.trim() !== '') {
    return { kind: 'file', path: path.resolve(configDir, value.trim()) };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return { kind: 'inline', policy: value as Record<string, unknown> };
  }
  throw new Problem(['policy'],
    '`policy` is missing: give a file path (`policy: mailward-policy.yaml`, relative to config/) or write the policy inline under `policy:`',
  );
}

function optionalString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Problem(key.split('.'), `\`${key}\` must be a string`);
  return value;
}

function bool(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw new Problem([key], `\`${key}\` must be true or false`);
  return value;
}

/**
 * Milliseconds for `800ms`, `5s`, `1h`... (core's units). A bare number is refused rather than
 * guessed: `5` meant five seconds to the operator who wrote it and was taken as 5 ms.
 */
function duration(value: unknown, key: string): number {
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+(?:\.\d+)?\s*$/.test(value))) {
    throw new Problem([key], `\`${key}: ${String(value).trim()}\` has no unit: write one, such as ${String(value).trim()}s or ${String(value).trim()}ms (units ms, s, m, h, d)`);
  }
  const ms = typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms <= 0) throw new Problem([key], `\`${key}\` must be a duration such as 5s or 800ms (units ms, s, m, h, d)`);
  return ms;
}
