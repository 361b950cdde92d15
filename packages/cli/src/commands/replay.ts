import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { analyze, headerChanges, HEADER_EFFECTS, runSession, type Client, type CompiledPolicy, type FactNeed, type MessageModel } from '@mailward/core';
import { factsFromFixture, loadPolicyWithTests, needsOf, OUTPUT_SECRET, policyProblems } from '@mailward/core/testing';
import { addressesFromFlag } from '../flag-addresses';
import { clientFromFlags, defaultHelo } from '../flag-client';
import { processIo, type Io } from '../io';
import { guessEnvelope, type GivenEnvelope } from '../replay/envelope-guess';
import { renderImpact } from '../replay/impact-table';
import { ImpactTally } from '../replay/impact-tally';
import { storedMessages, type StoredItem } from '../replay/mail-sources';
import { InputError, UsageError } from '../usage-error';

const OPTIONS = {
  json: { type: 'boolean' },
  recipient: { type: 'string', multiple: true },
  sender: { type: 'string' },
  client: { type: 'string' },
  'client-hostname': { type: 'string' },
  helo: { type: 'string' },
  show: { type: 'string' },
} as const;

/**
 * `mailward replay POLICY SOURCE...`: runs every stored message (folders of .eml, maildirs,
 * mbox files, single files) through the policy's stages, one at a time, and prints what each
 * rule would have done (or one JSON document). Exit 0 whatever the verdicts; 1 when no SOURCE
 * holds a message.
 */
export async function run(argv: string[], io: Io = processIo): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length < 2) throw new UsageError('replay takes a policy and at least one source: mailward replay POLICY SOURCE...');
  const [policyFile, ...sources] = positionals;
  const show = showCount(values.show);
  const client = clientFromFlags('--client', values.client, values['client-hostname']);

  let policy: CompiledPolicy;
  try {
    policy = loadPolicyWithTests(policyFile);
  } catch (err) {
    throw new InputError(`${policyFile} is not a valid policy:\n${policyProblems(err, policyFile).join('\n')}`, 'MW_POLICY_INVALID');
  }
  for (const source of sources) {
    try {
      await stat(source);
    } catch (err) {
      throw new InputError(`cannot read source ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'MW_SOURCE_UNREADABLE');
    }
  }

  const given: GivenEnvelope = { recipients: addressesFromFlag('--recipient', values.recipient) ?? [], ...(values.sender !== undefined ? { sender: values.sender } : {}) };
  const replay = { policy, needs: needsOf(policy), given, client, helo: values.helo ?? defaultHelo(client) };
  const tally = new ImpactTally(policy, show);
  const empty: string[] = [];
  for (const source of sources) {
    let found = 0;
    for await (const item of storedMessages(source)) {
      if (item.kind !== 'ignored') found += 1;
      await count(item, replay, tally);
    }
    if (found === 0) empty.push(source);
  }
  // Nothing to replay is a mistake in what was given (a wrong path, an empty export), as a
  // missing SOURCE is; one empty SOURCE among others is only said.
  const none = `no messages found in ${empty.join(', ')}`;
  if (empty.length === sources.length) throw new InputError(none, 'MW_NO_MESSAGES');
  if (empty.length > 0) io.err(`mailward replay: ${none}\n`);

  const report = tally.result();
  const name = (policy as { name?: string }).name;
  if (values.json) {
    io.out(`${JSON.stringify({ policy: { file: policyFile, ...(name ? { name } : {}) }, sources, ...report }, null, 2)}\n`);
  } else {
    const title = `replayed ${report.messages.replayed} of ${report.messages.read} messages through ${name ? `policy "${name}" (${policyFile})` : policyFile}`;
    io.out(renderImpact(report, title));
  }
  return 0;
}

interface Replay {
  policy: CompiledPolicy;
  needs: FactNeed[];
  given: GivenEnvelope;
  client: Client;
  helo: string;
}

async function count(item: StoredItem, replay: Replay, tally: ImpactTally): Promise<void> {
  if (item.kind === 'ignored') return tally.ignored(item.source);
  if (item.kind === 'unreadable') return tally.unreadable(item.source, item.reason);
  let model: MessageModel;
  try {
    model = await analyze(item.open());
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return tally.unreadable(item.source, e.code ?? e.message);
  }
  if (model.headers.length === 0) {
    return tally.unreadable(item.source, model.size === 0 ? 'empty: not a message' : 'not a message: no header fields');
  }
  const envelope = guessEnvelope(model.headers, replay.given);
  if (envelope.recipients.length === 0) {
    return tally.unreadable(item.source, 'no recipient in Delivered-To, X-Original-To, To or Cc; give --recipient ADDR');
  }
  const { policy, client, helo } = replay;
  // No scanners are asked: every fact gets its clean answer (no virus, score 0, not listed).
  const facts = factsFromFixture(undefined, replay.needs, { helo, sender: envelope.sender, recipients: envelope.recipients });
  const result = runSession(policy, { client, helo, sender: envelope.sender, recipients: envelope.recipients, message: model }, facts);
  const subject = model.headers.find((h) => h.name.toLowerCase() === 'subject');
  // The rules whose header edits change this message (a removal of a field it has none of changes
  // nothing); its header block is read again only when it is delivered (accepted, or a release).
  const delivered = result.verdict === 'accept' || result.verdict === 'quarantine';
  const edits = delivered ? result.effects.filter((e) => HEADER_EFFECTS.has(e.type)) : [];
  const edited = edits.length > 0 ? new Set((await headerChanges(item.open(), edits, OUTPUT_SECRET)).map((c) => ('rule' in c ? c.rule : ''))) : new Set<string>();
  tally.add({ source: item.source, subject: (subject?.decoded || subject?.value || '').trim() }, envelope, result, edited);
}

function showCount(text: string | undefined): number {
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text)) throw new UsageError(`--show takes a number of messages per rule, not "${text}"`);
  return Number(text);
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
