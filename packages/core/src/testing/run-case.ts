import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Client } from '../engine/input';
import { STAGES } from '../engine/stage';
import type { FactNeed } from '../facts/facts';
import type { MessageModel } from '../message/model';
import { analyze, runSession, type CompiledPolicy } from '../index';
import type { CaseClient, CaseMessage, PolicyCase } from './case';
import { compareOutcome } from './compare';
import { compareOutput } from './case-output';
import { envelopeFromHeaders } from './envelope-from-message';
import { factsFromFixture, unknownVirusParts, unusedFacts } from './fixture-facts';
import { buildMessage } from './message-builder';
import { outcomeOf, type SessionOutcome } from './session-outcome';

/** Where a case's relative paths (message files) start. */
export interface CaseContext {
  baseDir: string;
}

/** One case, run: what happened and what differed from the expectation. */
export interface CaseRun {
  name: string;
  failures: string[];
  outcome?: SessionOutcome;
}

/** The client a case gets when it names none: a documentation address, not TLS, not logged in. */
export const DEFAULT_CLIENT: Client = { ip: '192.0.2.10', hostname: 'mail.example.net', tls: false, authenticated: false };

/** Runs one case through the whole session (connect .. data) and compares it with its expectation. */
export async function runCase(policy: CompiledPolicy, c: PolicyCase, ctx: CaseContext): Promise<CaseRun> {
  let raw: Buffer;
  try {
    raw = messageBytes(c.message, ctx.baseDir);
  } catch (err) {
    return { name: c.name, failures: [`message: ${(err as Error).message}`] };
  }
  const model = await analyze(Readable.from([raw]));
  const session = sessionOf(c, model);
  if (session.recipients.length === 0) {
    return { name: c.name, failures: ['envelope: no recipients; state envelope.to or give the message a To header'] };
  }
  const subjects = { helo: session.helo, sender: session.sender, recipients: session.recipients };
  const misplaced = unknownVirusParts(c.facts, model) ?? unusedFacts(c.facts, needsOf(policy), subjects);
  if (misplaced) return { name: c.name, failures: [`facts: ${misplaced}`] };
  const facts = factsFromFixture(c.facts, needsOf(policy), subjects);
  const outcome = outcomeOf(runSession(policy, session, facts));
  const failures = compareOutcome(c.expect, outcome);
  if (c.expect.output !== undefined) failures.push(...(await compareOutput(c.expect.output, raw, outcome.effects, outcome.verdict, ctx.baseDir)));
  return { name: c.name, failures, outcome };
}

/** The raw message a case names: a file, raw text, an inline build, or a default one. */
export function messageBytes(message: CaseMessage | undefined, baseDir: string): Buffer {
  if (message === undefined) return buildMessage({});
  if (typeof message === 'string') return readMessage(message, baseDir);
  if ('file' in message) return readMessage(message.file, baseDir);
  if ('raw' in message) return Buffer.from(message.raw.replace(/\r?\n/g, '\r\n'), 'utf8');
  return buildMessage(message);
}

function readMessage(file: string, baseDir: string): Buffer {
  const path = isAbsolute(file) ? file : resolve(baseDir, file);
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

function sessionOf(c: PolicyCase, model: MessageModel) {
  const env = c.envelope ?? {};
  const fromHeaders = envelopeFromHeaders(model.headers);
  const client = clientOf(env.client);
  const to = env.to === undefined ? fromHeaders.to : Array.isArray(env.to) ? env.to : [env.to];
  const from = env.from ?? fromHeaders.from;
  const session = {
    client,
    helo: env.helo ?? client.hostname ?? 'mail.example.net',
    sender: from === '<>' ? '' : from,
    recipients: to,
    message: model,
  };
  return env.direction === undefined ? session : { ...session, direction: env.direction };
}

function clientOf(c: string | CaseClient | undefined): Client {
  if (c === undefined) return { ...DEFAULT_CLIENT };
  if (typeof c === 'string') return { ip: c, tls: false, authenticated: false };
  const client: Client = { ip: c.ip, tls: c.tls ?? false, authenticated: c.auth !== undefined && c.auth !== false };
  if (c.hostname !== undefined) client.hostname = c.hostname;
  if (typeof c.auth === 'string') client.user = c.auth;
  return client;
}

/** Every fact need of every stage of a compiled policy. */
export function needsOf(policy: CompiledPolicy): FactNeed[] {
  return STAGES.flatMap((stage) => [...policy.stages[stage].needs]);
}
