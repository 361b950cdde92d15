import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Ajv from 'ajv';
import { LineCounter, parseDocument, isMap, isNode, isScalar } from 'yaml';
import { defaultConfig, type GatewayConfig, type ListenerConfig } from './config';
import { configFileProblems } from './config-files';
import { domainProblem } from './domain-name';
import { identityProblems } from './identity-check';
import { GATEWAY_SCHEMA } from './config-schema';
import { keySuggestion } from './schema-keys';
import { schemaValidPart } from './config-valid-part';
import { completeDelivery } from './delivery/delivery-config-load';
import { endpointShapeProblems, factsProblems } from './facts-check';
import { listenProblem, listenerProblems } from './listener-check';

/** A gateway.yaml that cannot be used; every problem has file:line:col. */
export class GatewayConfigError extends Error {
  readonly code = 'MW_GATEWAY_CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`gateway configuration is not valid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

const validate = new Ajv({ allErrors: true, strict: true }).compile(GATEWAY_SCHEMA);

// The schema's errors as problems with file:line:col, in the words the loader has always used.
function schemaErrorProblems(raw: Record<string, unknown>, at: (path: (string | number)[], key?: string) => string): string[] {
  // An endpoint that is neither TCP nor a socket gets one problem naming the fix, not the anyOf's three.
  const endpoints = endpointShapeProblems(raw.facts, at);
  const errors = (validate.errors ?? []).filter((e) => !(endpoints.has(e.instancePath) && (e.keyword === 'required' || e.keyword === 'anyOf')));
  // Each branch of an anyOf reports the same unknown key: once is enough.
  return [...new Set([...endpoints.values(), ...errors.map((e) => {
    const path = e.instancePath.split('/').slice(1).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const unknownKey = e.keyword === 'additionalProperties' ? (e.params as { additionalProperty: string }).additionalProperty : undefined;
    const hint = unknownKey !== undefined ? keySuggestion(e.schemaPath, unknownKey) : undefined;
    const extra = unknownKey !== undefined ? ` \`${unknownKey}\`; ${hint ? `did you mean \`${hint}\`?` : 'remove it or check its spelling'}`
      : e.keyword === 'enum' ? `: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}` : '';
    return `${at(path, unknownKey)}: ${e.instancePath || '(top)'} ${e.message}${extra}`;
  })])];
}

// A listener's `auth` with paths made absolute and the IMAP server's seconds made ms.
function submissionAuth(auth: NonNullable<ListenerConfig['auth']>, base: string): NonNullable<ListenerConfig['auth']> {
  const imap = auth.imap;
  return {
    ...(auth.passwords ? { passwords: resolve(base, auth.passwords) } : {}),
    ...(imap ? {
      imap: {
        ...imap,
        ...(imap.ca ? { ca: resolve(base, imap.ca) } : {}),
        ...(imap.timeout !== undefined ? { timeout: imap.timeout * 1000 } : {}),
        ...(imap.cacheTime !== undefined ? { cacheTime: imap.cacheTime * 1000 } : {}),
      },
    } : {}),
  };
}

/**
 * Read, validate and complete a gateway.yaml (paths relative to its folder, and so are the
 * default spool and maildir, var/spool and var/mail; `_cwd` is no longer used). With `checkFiles`
 * (what `serve` asks), the files it names must be readable too; `spool` commands do not need them.
 * Every mistake found (schema, checks, files) is in the one GatewayConfigError thrown.
 */
export function loadGatewayConfig(file: string, _cwd = process.cwd(), options: { checkFiles?: boolean } = {}): GatewayConfig {
  const text = readFileSync(file, 'utf8');
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (path: (string | number)[], key?: string): string => {
    const node = path.length ? doc.getIn(path, true) : doc.contents;
    // A key that does not belong is pointed at itself, not at the map that holds it.
    const pair = key !== undefined && isMap(node) ? node.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
    const target = pair && isNode(pair.key) ? pair.key : node;
    const offset = isNode(target) && target.range ? target.range[0] : 0;
    const pos = lines.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  const yamlProblems = doc.errors.map((e) => `${file}:${e.linePos?.[0].line ?? 1}:${e.linePos?.[0].col ?? 1}: ${e.code === 'DUPLICATE_KEY' ? 'this key is given twice in its map: keep one of them' : e.message}`);
  // A key given twice is told with the other mistakes; text that is no YAML stops here.
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) throw new GatewayConfigError(yamlProblems);
  // A file named on purpose that holds nothing (a truncated copy, the wrong file) is no default.
  if (doc.contents === null) throw new GatewayConfigError([`${file}:1:1: the file holds no settings: write gateway.yaml's settings (docs/gateway.md), or leave out --config for the embedded default`]);
  const whole = (doc.toJS() ?? {}) as Record<string, unknown>;
  const schemaProblems = [...yamlProblems, ...(validate(whole) ? [] : schemaErrorProblems(whole, at))];
  // The checks below run on what passed the schema, so one run tells every mistake.
  const raw = schemaProblems.length ? schemaValidPart(whole, validate) : whole;
  if (!raw) throw new GatewayConfigError(schemaProblems);
  const admin = raw.admin ? listenProblem((raw.admin as { listen: string }).listen, ['admin', 'listen'], at) : undefined;
  const problems = [...schemaProblems, ...listenerProblems((raw.listeners ?? []) as ListenerConfig[], at), ...(admin ? [admin] : []), ...factsProblems(raw.facts as object | undefined, at, options.checkFiles === true)];
  const badDomain = typeof raw.domain === 'string' ? domainProblem(raw.domain) : undefined;
  if (badDomain) problems.push(`${at(['domain'])}: /domain: ${badDomain}`);
  problems.push(...identityProblems(raw, at));
  const base = dirname(resolve(file));
  // Beside the file, not in the current folder: started from / a gateway.yaml without spool:
  // would take the system's /var/spool as its own.
  const defaults = defaultConfig(base);
  const seconds = (v: unknown, fallback: number): number => (typeof v === 'number' ? v * 1000 : fallback);
  const q = (raw.queue ?? {}) as Record<string, number>;
  const config: GatewayConfig = {
    ...defaults,
    ...(raw as Partial<GatewayConfig>),
    policy: raw.policy ? (String(raw.policy).startsWith('builtin:') ? String(raw.policy) : resolve(base, String(raw.policy))) : defaults.policy,
    ...(raw.domain !== undefined ? { domainFrom: `${at(['domain'])}: domain` } : {}),
    spool: raw.spool ? resolve(base, String(raw.spool)) : defaults.spool,
    queue: {
      scanPeriod: seconds(q.scanPeriod, defaults.queue.scanPeriod),
      resendPeriod: seconds(q.resendPeriod, defaults.queue.resendPeriod),
      abandonTime: seconds(q.abandonTime, defaults.queue.abandonTime),
      maxBackoff: seconds(q.maxBackoff, defaults.queue.maxBackoff),
      ...(q.maxConns ? { maxConns: q.maxConns } : {}),
    },
    log: { ...defaults.log, ...((raw.log ?? {}) as object) },
    quarantine: { ...defaults.quarantine, ...((raw.quarantine ?? {}) as object) },
  };
  config.listeners = config.listeners.map((l) => ({
    ...l,
    ...(l.tls ? { tls: { key: resolve(base, l.tls.key), cert: resolve(base, l.tls.cert) } } : {}),
    ...(l.auth ? { auth: submissionAuth(l.auth, base) } : {}),
  }));
  if (raw.delivery) {
    const { delivery, problems: found } = completeDelivery(config.delivery, base, at);
    problems.push(...found);
    config.delivery = delivery;
  }
  if (options.checkFiles) problems.push(...configFileProblems(config, at));
  if (problems.length) throw new GatewayConfigError([...new Set(problems)]);
  return config;
}
