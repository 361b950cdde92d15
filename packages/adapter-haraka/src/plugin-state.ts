import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CompiledPolicy, FactProviders } from '@mailward/core';
import { compilePolicyText } from './policy-text';
import { parseSettings, type HarakaSettings } from './settings';
import type { HarakaPlugin } from './haraka-types';
import { createProviders } from './providers';

/** What the plugin holds between hooks: the policy in force and how to gather facts. */
export interface MailwardState {
  policy: CompiledPolicy;
  settings: HarakaSettings;
  providers: FactProviders;
  secret: string;
  /** Where the policy came from, for logs ("config/policy.yaml" or "mailward.yaml (inline)"). */
  origin: string;
}

/** The plugin instance as Haraka gives it to us, with our state on it. */
export type MailwardPlugin = HarakaPlugin & { mailward?: MailwardState };

/**
 * The directory mailward.yaml is read from, which relative paths in it are taken from: where
 * haraka-config reads the operator's files (its overrides path for npm plugins, $HARAKA/config).
 */
export function harakaConfigDir(plugin: HarakaPlugin): string {
  const config = plugin.config as { overrides_path?: string; root_path?: string };
  return config.overrides_path ?? config.root_path ?? path.join(process.env.HARAKA ?? process.cwd(), 'config');
}

/**
 * Reads mailward.yaml and the policy, compiles and checks it, and returns the new state.
 * Throws (typed, with the file and what to change) when anything is wrong; the caller decides
 * whether that stops Haraka (first load) or only gets logged (reload).
 */
export function buildState(plugin: HarakaPlugin, onChange: () => void): MailwardState {
  const configDir = harakaConfigDir(plugin);
  const raw = plugin.config.get('mailward.yaml', 'yaml', onChange);
  const settings = parseSettings(raw, configDir);
  let policy: CompiledPolicy;
  let origin: string;
  if (settings.policy.kind === 'file') {
    // Read through haraka-config so a change to the policy file reloads like mailward.yaml does.
    const text = plugin.config.get(settings.policy.path, 'binary', onChange);
    if (!text) throw new Error(`policy file ${settings.policy.path} (from config/mailward.yaml) cannot be read`);
    origin = settings.policy.path;
    policy = compilePolicyText(text.toString('utf8'), origin);
  } else {
    origin = 'config/mailward.yaml (inline policy)';
    policy = compilePolicyText(JSON.stringify(settings.policy.policy, null, 2), origin);
  }
  const secret = settings.secret || ephemeralSecret(plugin);
  return { policy, settings, providers: createProviders(settings), secret, origin };
}

let warnedSecret = false;

function ephemeralSecret(plugin: HarakaPlugin): string {
  if (!warnedSecret) {
    plugin.logwarn('no `secret` in config/mailward.yaml: masqueraded Message-IDs change on every restart');
    warnedSecret = true;
  }
  return randomBytes(32).toString('hex');
}

/**
 * Loads the state at register() and reloads it whenever mailward.yaml or the policy file
 * changes. A new policy replaces the old only after it compiled cleanly; a bad one is logged
 * with its problems and the old one stays in force.
 */
export function loadState(plugin: MailwardPlugin): void {
  const reload = (): void => {
    try {
      const next = buildState(plugin, reload);
      plugin.mailward = next;
      plugin.loginfo(`policy ${next.origin} loaded`);
    } catch (err) {
      plugin.logerror(`new policy rejected, keeping the previous one: ${describe(err)}`);
    }
  };
  const state = buildState(plugin, reload);
  plugin.mailward = state;
  for (const warning of state.policy.warnings ?? []) plugin.logwarn(`policy: ${warning.message}`);
  plugin.loginfo(`policy ${state.origin} loaded`);
}

/** One line for a log: the error's message (a PolicyError lists every problem with file:line:col). */
export function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\n/g, '; ');
}
