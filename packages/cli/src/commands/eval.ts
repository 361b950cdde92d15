import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { analyze, rewrite, runSession, type CompiledPolicy, type MessageModel, type RewriteChange } from '@mailward/core';
import {
  addrSpecsOf, envelopeFromHeaders, factsFromFixture, FactsFileError, unknownVirusParts, loadFactsFile, loadPolicyWithTests, needsOf, OUTPUT_SECRET, policyProblems,
  type CaseFacts,
} from '@mailward/core/testing';
import { assumedFacts } from '../assumed-facts';
import { addressesFromFlag } from '../flag-addresses';
import { clientFromFlags, defaultHelo } from '../flag-client';
import { notDelivered, removeStaleCopy, sameFile } from '../delivered-copy';
import type { Io } from '../io';
import { quarantineOf, renderSession, type SessionView } from '../render-session';
import { InputError, UsageError } from '../usage-error';

const OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string', multiple: true },
  'client-ip': { type: 'string' },
  'client-hostname': { type: 'string' },
  helo: { type: 'string' },
  direction: { type: 'string' },
  facts: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/**
 * `mailward eval POLICY MESSAGE.eml [...]`: runs every stage of a session for one message and
 * prints the verdict with its trace (or one JSON object). Exit 0 whatever the verdict.
 */
export async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv);
  if (positionals.length !== 2) throw new UsageError('eval takes a policy and a message: mailward eval POLICY MESSAGE.eml');
  const [policyFile, messageFile] = positionals;
  // The two the wrong way round read as a YAML error about a message: say which comes first.
  if (/\.(eml|msg|mbox)$/i.test(policyFile!) && /\.ya?ml$/i.test(messageFile!)) {
    throw new UsageError(`the policy comes first: mailward eval ${messageFile} ${policyFile}`);
  }
  if (values.direction !== undefined && values.direction !== 'inbound' && values.direction !== 'outbound') {
    throw new UsageError(`--direction must be inbound or outbound, not "${values.direction}"`);
  }

  let policy: CompiledPolicy;
  try {
    policy = loadPolicyWithTests(policyFile);
  } catch (err) {
    throw new InputError(`${policyFile} is not a valid policy:\n${policyProblems(err, policyFile).join('\n')}`, 'MW_POLICY_INVALID');
  }
  const model = await analyzeMessage(messageFile);
  // What the gateway would be given is evaluated all the same, but a file that is no message at all is said to be one.
  if (model.headers.length === 0) {
    io.err(`mailward eval: ${messageFile} ${model.size === 0 ? 'is empty' : 'has no header fields'}: not a message, evaluated as one with an empty header block\n`);
  }
  const fixture = values.facts === undefined ? undefined : readFacts(values.facts);
  const misplaced = unknownVirusParts(fixture, model);
  if (misplaced) throw new InputError(`${values.facts}: ${misplaced}`, 'MW_FACTS_INVALID');

  const implied = envelopeFromHeaders(model.headers);
  const sender = values.from ?? implied.from;
  const recipients = addressesFromFlag('--to', values.to) ?? implied.to;
  if (recipients.length === 0) throw new UsageError(`${noRecipients(messageFile, model)}; give the recipients with --to ADDR`);
  const client = clientFromFlags('--client-ip', values['client-ip'], values['client-hostname']);
  const helo = values.helo ?? defaultHelo(client);
  const session = {
    client,
    helo,
    sender: sender === '<>' ? '' : sender,
    recipients,
    message: model,
    ...(values.direction ? { direction: values.direction as 'inbound' | 'outbound' } : {}),
  };
  const facts = factsFromFixture(fixture, needsOf(policy), { helo, sender: session.sender, recipients });
  const result: SessionView = runSession(policy, session, facts);
  const assumed = assumedFacts(needsOf(policy), fixture);
  if (assumed.length > 0) {
    const why = fixture ? 'not stated in --facts, so taken as clean' : 'without --facts these were taken as clean';
    io.err(`mailward eval: no scanner, DNS server or greylist is asked; ${why}: ${assumed.join('; ')}\n`);
  }

  // --out is the message as delivered: nothing is written when nothing is delivered.
  let changes: RewriteChange[] | undefined;
  const unwritten = values.out === undefined ? undefined : notDelivered(result.verdict);
  if (values.out !== undefined) {
    if (unwritten === undefined) changes = await writeRewritten(messageFile, values.out, result);
    else {
      const removed = removeStaleCopy(values.out, messageFile) ? `; removed the ${values.out} an earlier run left` : '';
      io.err(`--out: nothing written to ${values.out}: ${unwritten}${removed}\n`);
    }
  }

  if (values.json) {
    const quarantine = quarantineOf(result);
    const object: Record<string, unknown> = {
      verdict: result.verdict,
      stage: result.stage,
      reply: result.reply,
      ...(quarantine ? { quarantine } : {}),
      recipients: result.recipients,
      fired: result.fired,
      effects: result.effects,
      trace: result.trace,
      ...(assumed.length > 0 ? { assumed } : {}),
    };
    if (values.out !== undefined && unwritten === undefined) Object.assign(object, { out: values.out, changes: changes ?? [] });
    else if (values.out !== undefined) Object.assign(object, { out: null, outReason: unwritten });
    io.out(`${JSON.stringify(object, null, 2)}\n`);
  } else {
    io.out(renderSession(result, { sender: session.sender, client: client.ip, helo }));
    if (values.out !== undefined && unwritten === undefined) {
      io.out(`rewritten message written to ${values.out}${changes && changes.length > 0 ? ':' : ' (unchanged)'}\n`);
      for (const c of changes ?? []) io.out(`  ${describeChange(c)}\n`);
    }
  }
  return 0;
}

/** Why the message's headers give no recipients: no To or Cc, or ones that name no address. */
function noRecipients(file: string, model: MessageModel): string {
  const fields = model.headers.filter((h) => /^(to|cc)$/i.test(h.name));
  if (fields.length === 0) return `${file} has no To or Cc header`;
  const names = [...new Set(fields.map((h) => (h.name.toLowerCase() === 'to' ? 'To' : 'Cc')))].join(' and ');
  const group = fields.flatMap((h) => addrSpecsOf(h.value).emptyGroups)[0];
  const what = group !== undefined ? `an empty group \`${group}:;\`` : `${fields[0]!.name}: ${JSON.stringify(fields[0]!.value.slice(0, 60))}`;
  return `${file}: its ${names} ${names.includes(' and ') ? 'name' : 'names'} no address (${what})`;
}

async function analyzeMessage(file: string): Promise<MessageModel> {
  let isFile = false;
  try {
    isFile = statSync(file).isFile();
  } catch (err) {
    throw new InputError(`cannot read message ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'MW_MESSAGE_UNREADABLE');
  }
  if (!isFile) throw new InputError(`cannot read message ${file}: not a file`, 'MW_MESSAGE_UNREADABLE');
  return analyze(createReadStream(file));
}

function readFacts(file: string): CaseFacts {
  try {
    return loadFactsFile(file);
  } catch (err) {
    if (err instanceof FactsFileError) throw new InputError(err.message, err.code);
    throw err;
  }
}

async function writeRewritten(input: string, output: string, result: SessionView): Promise<RewriteChange[]> {
  if (sameFile(input, output)) throw new UsageError(`--out ${output} is the message being evaluated; give another file`);
  // The secret keys masqueraded Message-IDs: the tester's, so the file can be a case's expect.output.
  const rewritten = rewrite(createReadStream(input), result.effects, { secret: OUTPUT_SECRET });
  // A file is written beside it under a name of its own (created, never an existing file) and
  // renamed: a rewrite that fails half-way leaves no cut message to mistake for the output.
  // Anything else (/dev/stdout, a pipe) is written to as it is.
  const direct = existsSync(output) && !statSync(output).isFile();
  const part = direct ? output : join(dirname(output), `.${basename(output)}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  try {
    await pipeline(rewritten, createWriteStream(part, { flags: direct ? 'w' : 'wx' }));
    if (!direct) renameSync(part, output);
  } catch (err) {
    if (!direct) rmSync(part, { force: true });
    throw new InputError(`cannot write ${output}: ${(err as Error).message}`, 'MW_OUT_UNWRITABLE');
  }
  return rewritten.changes;
}

function describeChange(c: RewriteChange): string {
  const { kind, ...rest } = c;
  const rule = 'rule' in rest ? ` (${rest.rule})` : '';
  const detail = Object.entries(rest).filter(([k]) => k !== 'rule').map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
  return `${kind}${rule} ${detail}`.trimEnd();
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
