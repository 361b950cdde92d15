import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PolicyError, yamlLocator, yamlSyntaxErrors, type CompiledPolicy, type FactProviders } from '@mailward/core';
import { compileInlinePolicy, compilePolicyText } from './policy-text';
import { parseSettings, type HarakaSettings } from './settings';
import { HarakaSettingsError } from './settings-error';
import type { HarakaPlugin } from './haraka-types';
import { createProviders, type ProviderSet } from './providers';

/** What the plugin holds between hooks: the policy in force and how to gather facts. */
export interface MailwardState {
  policy: CompiledPolicy;
  settings: HarakaSettings;
  providers: FactProviders;
  /** Where `providers` came from; a reload that leaves `facts` alone keeps the same set. */
  providerSet: ProviderSet;
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
export function buildState(plugin: HarakaPlugin, onChange: () => void, previous?: MailwardState): MailwardState {
  const configDir = harakaConfigDir(plugin);
  const raw = plugin.config.get('mailward.yaml', 'yaml', onChange);
  if (!fs.existsSync(path.join(configDir, 'mailward.yaml'))) {
    throw new HarakaSettingsError(
      `not found in ${configDir}: create it with at least \`policy: policy.yaml\` (a policy file in that directory, or an absolute path)`,
    );
  }
  // haraka-config logs a YAML syntax error to stdout and hands over {}: said here, at its place.
  const yamlText = fs.readFileSync(path.join(configDir, 'mailward.yaml'), 'utf8');
  const syntax = yamlSyntaxErrors(yamlText);
  if (syntax.length > 0) throw new HarakaSettingsError(syntax.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\nconfig/mailward.yaml:'), true);
  const settings = parseSettings(raw, configDir, yamlLocator(yamlText));
  let policy: CompiledPolicy;
  let origin: string;
  if (settings.policy.kind === 'file') {
    // Read through haraka-config so a change to the policy file reloads like mailward.yaml does.
    const text = plugin.config.get(settings.policy.path, 'binary', onChange);
    // haraka-config gives a removed file as empty, which would read as an empty policy.
    if (!fs.existsSync(settings.policy.path)) throw new Error(`policy file ${settings.policy.path} (from config/mailward.yaml) cannot be read: it is not there`);
    if (!text) throw new Error(`policy file ${settings.policy.path} (from config/mailward.yaml) cannot be read: check that Haraka's user may read it`);
    origin = settings.policy.path;
    policy = compilePolicyText(text.toString('utf8'), origin);
  } else {
    const file = path.join(configDir, 'mailward.yaml');
    origin = `${file} (inline policy)`;
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    policy = compileInlinePolicy(text, settings.policy.policy, file);
  }
  const secret = settings.secret || ephemeralSecret(plugin);
  const providerSet = createProviders(settings, previous?.providerSet);
  return { policy, settings, providers: providerSet.providers, providerSet, secret, origin };
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
      const before = plugin.mailward;
      const next = buildState(plugin, reload, before);
      plugin.mailward = next;
      announce(plugin, next, 'reloaded');
      if (before && before.providerSet !== next.providerSet) {
        // New lookups use the new set; those under way (a greylist check is several Redis
        // round trips) get the old one's whole fact timeout before its connections close.
        const old = before.providerSet;
        setTimeout(() => {
          old.close().catch((err: unknown) => plugin.logwarn(`closing the previous fact providers: ${describe(err)}`));
        }, before.settings.factTimeoutMs + 1000).unref();
      }
    } catch (err) {
      // One line per error, as at start; the policy's lint warnings are not why it was refused.
      const { errors, warnings } = problems(err);
      for (const line of errors) plugin.logerror(`new policy rejected, keeping the previous one: ${line}`);
      for (const line of warnings) plugin.logwarn(`policy: ${line}`);
    }
  };
  let state: MailwardState;
  try {
    state = buildState(plugin, reload);
  } catch (err) {
    // Haraka stops on this throw (it never runs without a policy). Say why on lines of our own
    // first, one problem per line with its file:line:col, before Haraka's stack trace.
    const { errors, warnings } = problems(err);
    for (const line of errors) plugin.logcrit(`cannot start: ${line}`);
    for (const line of warnings) plugin.logwarn(`policy: ${line}`);
    plugin.logcrit('Haraka will not run without a valid mailward policy: fix the above and start it again');
    throw err;
  }
  plugin.mailward = state;
  announce(plugin, state, 'loaded');
}

/** "policy NAME (N rules) loaded from FILE", then the policy's lint warnings. */
function announce(plugin: MailwardPlugin, state: MailwardState, what: 'loaded' | 'reloaded'): void {
  const { policy } = state;
  const rules = Object.values(policy.stages).reduce((n, stage) => n + stage.rules.length, 0);
  const name = policy.name ? `"${policy.name}" ` : '';
  plugin.loginfo(`policy ${name}(${rules} rules) ${what} from ${state.origin}`);
  for (const warning of policy.warnings ?? []) plugin.logwarn(`policy: ${formatWarning(warning)}`);
  const secret = state.settings.secret;
  if (secret && secret.length < 16) {
    plugin.logwarn(`secret in config/mailward.yaml is ${secret.length} characters: masqueraded Message-IDs are only as hard to trace back as it is to guess (gateway.yaml refuses fewer than 16; openssl rand -hex 32 makes one)`);
  }
  if (quarantines((policy.raw as unknown as Record<string, unknown>).data) && !state.settings.quarantineDir && !listsQuarantinePlugin(plugin)) {
    plugin.logwarn(
      'policy: it can quarantine, but neither quarantine.dir in mailward.yaml nor queue/quarantine in config/plugins is set: such messages will be refused with 451',
    );
  }
}

/** True when a data rule (or the default) quarantines without `forward`. */
function quarantines(node: unknown): boolean {
  if (node === 'quarantine') return true;
  if (Array.isArray(node)) return node.some(quarantines);
  if (node === null || typeof node !== 'object') return false;
  const map = node as Record<string, unknown>;
  if ('quarantine' in map) {
    const q = map.quarantine;
    if (!(q && typeof q === 'object' && (q as Record<string, unknown>).forward)) return true;
  }
  return Object.entries(map).some(([key, value]) => key !== 'quarantine' && key !== 'when' && quarantines(value));
}

function listsQuarantinePlugin(plugin: HarakaPlugin): boolean {
  const list = plugin.config.get('plugins', 'list');
  return Array.isArray(list) && list.some((p) => String(p).trim() === 'queue/quarantine');
}

/** "policy.yaml:12:9: rule `x`: message", for a warning or an error. */
function formatWarning(w: CompiledPolicy['warnings'][number]): string {
  return `${w.file}:${w.line}:${w.col}: ${w.rule !== undefined ? `rule \`${w.rule}\`: ` : ''}${w.message}`;
}

/** A failed load's errors and (for a policy) its lint warnings, one problem a line with file:line:col. */
function problems(err: unknown): { errors: string[]; warnings: string[] } {
  if (err instanceof PolicyError && err.problems.length > 0) {
    const errors = err.problems.filter((p) => p.severity === 'error');
    const warnings = err.problems.filter((p) => p.severity === 'warning');
    return { errors: (errors.length > 0 ? errors : err.problems).map(formatWarning), warnings: errors.length > 0 ? warnings.map(formatWarning) : [] };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { errors: text.split('\n'), warnings: [] };
}

/** One line for a log: the error's message (a PolicyError lists every problem with file:line:col). */
export function describe(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\n/g, '; ');
}
