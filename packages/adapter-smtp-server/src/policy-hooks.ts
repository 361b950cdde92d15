import { PassThrough, type Readable } from 'node:stream';
import {
  analyze, evaluate, factErrors, gatherFacts, isOutbound, recipientMeant, unofferedParameterOf, type CompiledPolicy, type Decision, type Direction, type FactProviders, type MessageModel, type Reply, type Stage,
  type StageInput, type UnofferedParameter,
} from '@mailward/core';
import type { SMTPServerAddress, SMTPServerDataStream, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { envelopeEffects, stateOf, type ConnectionState } from './connection-state';
import type { MessageStore, StoredMessage } from './message-store';
import { endingReason, removalsOf } from './session-log';
import { offeredByPolicy, openedWithHelo, unofferedUtf8Address } from './offered-parameters';
import { replyError } from './smtp-error';
import { StrictDataReader } from './strict-data';
import { untilRefused } from './until-refused';
import type { HeloHook } from './helo-answer';

export interface PolicyHooksOptions {
  /** The policy in force (a function, so a reload takes effect for the next command). */
  policy: () => CompiledPolicy;
  providers?: FactProviders;
  /** Budget of each fact lookup, ms. Default 20 s. */
  factTimeoutMs?: number;
  store: MessageStore;
  /** The listener's name in log lines (gateway.yaml's `listen`, say). */
  listener?: string;
  /** Listener zone; when absent the policy's `outbound.clients` (or AUTH) decide. */
  direction?: Direction;
  /** Asked at each MAIL FROM: a reply refuses the transaction (a full spool: 452 4.3.1). */
  admit?: () => Reply | undefined;
  /** One object per decision and per refused command, for the accounting log. */
  log?: (event: Record<string, unknown>) => void;
  /**
   * The ESMTP extensions offered on a session: MAIL and RCPT take only their parameters (any
   * other is 555 5.5.4). Not asked after HELO, which offers none: every parameter is refused. createPolicyServer gives what its EHLO reply lists; by default, what
   * smtpServerOptions offers for the policy in force (AUTH and SIZE unless hidden, never DSN).
   */
  offered?: (session: SMTPServerSession) => ReadonlySet<string>;
  /**
   * The size limit in force: createPolicyServer's is the one its server was made with, which
   * its EHLO reply advertises; by default the policy's maxSize at each command.
   */
  maxSize?: () => number | undefined;
  /**
   * The mailbox a bare `RCPT TO:<Postmaster>` (no domain, any case) reaches: the rcpt stage
   * decides on this address and the message is kept for it (RFC 5321 4.5.1). Absent: the
   * policy decides on `Postmaster` as the client wrote it.
   */
  postmaster?: string;
}

/** DATA ended by the client going away (or its idle timeout), not by a failure of ours. */
class ClientGone extends Error {}

/** What cut a DATA short, by why the session ended (see session-log): the client, unless a reply of ours ended it. */
function cutShort(session: SMTPServerSession): string {
  const reason = endingReason(session);
  if (reason === 'idle-timeout') return 'the client sent nothing for the idle timeout in the middle of DATA';
  if (reason === 'shutdown') return 'the gateway shut down in the middle of DATA';
  return reason === undefined || reason === 'client-closed' ? 'the client went away in the middle of DATA' : `the session ended (${reason}) in the middle of DATA`;
}

type Hooks = Required<Pick<SMTPServerOptions, 'onConnect' | 'onMailFrom' | 'onRcptTo' | 'onData'>> & {
  /** Not an smtp-server option: createPolicyServer runs it at HELO/EHLO (see helo-answer). */
  onHelo: HeloHook;
};
type Done = (err?: Error | null, message?: string) => void;

/** Whether the helo stage was decided for this name as the session now is (after STARTTLS it is not). */
function heloDecided(state: ConnectionState, name: string): boolean {
  return state.helo?.name === name && state.helo.tls === state.client.tls;
}

/**
 * The reply a connect decision has the client get: a refusal's (a temporary one as 421, the
 * only temporary reply RFC 5321 allows instead of the greeting), none where smtp-server's own
 * greeting follows (the policy's 250 2.0.0 OK is never sent).
 */
function connectReply(decision: Decision): Reply | undefined {
  if (decision.verdict !== 'reject' && decision.verdict !== 'tempfail') return undefined;
  return decision.reply.code >= 400 && decision.reply.code < 500 ? { ...decision.reply, code: 421 } : decision.reply;
}

/** smtp-server hooks that run each stage of the policy and answer with its decision. */
export function policyHooks(options: PolicyHooksOptions): Hooks {
  const log = options.log ?? ((): void => undefined);
  const offered = options.offered ?? ((): ReadonlySet<string> => offeredByPolicy(options.policy()));
  // A HELO reply lists no extension, whatever the EHLO one would (SMTPUTF8 for a non-ASCII address too).
  const offeredOn = (session: SMTPServerSession): ReadonlySet<string> => (openedWithHelo(session) ? new Set() : offered(session));
  const maxSizeOf = options.maxSize ?? ((): number | undefined => options.policy().smtp.maxSize);
  const timeoutMs = options.factTimeoutMs ?? 20_000;

  const inputOf = (state: ConnectionState, extra: Partial<StageInput> = {}): StageInput => {
    const input: StageInput = { client: state.client, recipients: state.recipients.map((r) => r.address), ...extra };
    if (options.direction) input.direction = options.direction;
    // A new HELO name is decided on with that name, not the one it replaces.
    if (state.helo && extra.helo === undefined) input.helo = state.helo.name;
    if (state.sender !== undefined) input.sender = state.sender;
    return input;
  };

  const decide = async (policy: CompiledPolicy, stage: Stage, state: ConnectionState, input: StageInput, extra = {}, logged: Record<string, unknown> = {}): Promise<Decision> => {
    const facts = await gatherFacts(policy, stage, input, options.providers ?? {}, { timeoutMs, memo: state.memo, ...extra });
    const decision = evaluate(policy, stage, input, facts);
    // Why a scanner or lookup failed, on the line of the decision it made (a 451 by default).
    const failed = factErrors(facts);
    log({
      event: 'decision', session: state.session, stage, client: state.client.ip, user: state.client.user, direction: isOutbound(policy, input) ? 'outbound' : 'inbound', helo: input.helo, sender: input.sender, recipient: input.recipient, ...logged,
      verdict: decision.verdict, rule: decision.rule, fired: decision.fired, reply: stage === 'connect' ? connectReply(decision) : decision.reply, removed: removalsOf(decision.effects),
      ...(Object.keys(failed).length > 0 ? { factErrors: failed } : {}),
      // What analysis found ambiguous, so the line says why a `malformed` rule fired.
      ...(input.message?.malformed.length ? { malformed: [...new Set(input.message.malformed.map((m) => m.kind))] } : {}),
    });
    // The policy's own `log` actions ("pattern found in file name ..."), one line each, as the firewalls logged them.
    for (const e of decision.effects) {
      if (e.type === 'log') log({ event: 'policy-log', session: state.session, stage, client: state.client.ip, recipient: input.recipient, rule: e.rule, text: e.text });
    }
    return decision;
  };

  /** Answer a command (a refusal counts toward the hard error limit: see protocol-replies). */
  const answer = (done: Done, decision: Decision | undefined, refusal?: Error & { responseCode: number }): void => {
    const err = refusal ?? (decision && (decision.verdict === 'reject' || decision.verdict === 'tempfail') ? replyError(decision.reply) : undefined);
    done(err);
  };

  /** A parameter of an extension not offered, or of none (RFC 5321 4.1.1.11). */
  const refuseParameter = (state: ConnectionState, command: 'MAIL' | 'RCPT', { text: parameter, keyword }: UnofferedParameter, done: Done): void => {
    log({ event: 'hidden-keyword-refused', session: state.session, client: state.client.ip, ...(keyword ? { keyword } : {}), command, parameter });
    answer(done, undefined, replyError({ code: 555, status: '5.5.4', text: `Parameter not supported: ${parameter}` }));
  };

  /** A non-ASCII address where SMTPUTF8 is not offered (RFC 6531's 553 5.6.7). */
  const refuseUtf8 = (state: ConnectionState, command: 'MAIL' | 'RCPT', done: Done): void => {
    log({ event: 'hidden-keyword-refused', session: state.session, client: state.client.ip, keyword: 'SMTPUTF8', command, parameter: 'non-ASCII address (SMTPUTF8 is not offered here)' });
    answer(done, undefined, replyError({ code: 553, status: '5.6.7', text: 'Non-ASCII address not permitted: SMTPUTF8 is not offered here' }));
  };

  /** A refusal by the policy's `smtp:` controls (`by` names the control), not by a rule. */
  const refuseBy = (state: ConnectionState, stage: 'mail' | 'rcpt', by: string, reply: Reply, done: Done, logged: Record<string, unknown> = {}): void => {
    log({ event: 'refused', session: state.session, stage, client: state.client.ip, by, sender: state.sender, ...logged, reply });
    answer(done, undefined, replyError(reply));
  };

  const guard = (state: ConnectionState, done: Done, work: () => Promise<void>): void => {
    // Any internal failure is a temporary refusal: the client keeps the mail and retries.
    work().catch((err: Error) => {
      // A client gone mid-DATA is the client's doing, logged when it went (data-aborted, see onData).
      if (!(err instanceof ClientGone)) log({ event: 'error', session: state.session, client: state.client.ip, error: err.message });
      // A store may refuse a message itself (a mail loop, a quota): an error with an SMTP code
      // and an enhanced status is its answer, given as it is.
      const code = (err as Error & { responseCode?: unknown }).responseCode;
      if (typeof code === 'number' && code >= 400 && code < 600 && /^[45]\.\d{1,3}\.\d{1,3} /.test(err.message)) return done(err as Error & { responseCode: number });
      done(replyError({ code: 451, status: '4.3.0', text: 'Temporary failure, please try again later' }));
    });
  };

  return {
    onConnect(session, connected) {
      const state = stateOf(session);
      // Instead of the greeting RFC 5321 (3.1, 4.3.2) allows only 554 or 421: a temporary
      // refusal (the policy's, or a lookup or failure of ours) is 421, status and text kept,
      // and smtp-server closes the connection.
      const done = (err?: Error | null): void => {
        const code = (err as { responseCode?: number } | null | undefined)?.responseCode;
        connected(err && code !== undefined && code >= 400 && code < 500 ? Object.assign(err, { responseCode: 421 }) : err);
      };
      guard(state, done, async () => {
        const policy = options.policy();
        state.connectLogged = true;
        log({
          event: 'connect', session: session.id, client: state.client.ip, hostname: state.client.hostname,
          listener: { name: options.listener, address: session.localAddress, port: session.localPort, zone: options.direction ?? 'by policy' },
        });
        state.connect = await decide(policy, 'connect', state, inputOf(state));
        if (state.connect.verdict === 'reject' || state.connect.verdict === 'tempfail') return done(replyError(state.connect.reply));
        done();
      });
    },

    onHelo(name, session, done) {
      const state = stateOf(session);
      guard(state, done, async () => {
        // HELO/EHLO ends any transaction (RFC 5321 4.1.4): its decision is made without one.
        const input = inputOf(state, { helo: name, recipients: [] });
        delete input.sender;
        if (!heloDecided(state, name)) state.helo = { name, tls: state.client.tls, decision: await decide(options.policy(), 'helo', state, input) };
        answer(done, state.helo!.decision);
      });
    },

    onMailFrom(address: SMTPServerAddress, session: SMTPServerSession, done) {
      const state = stateOf(session);
      // smtp-server refuses a nested MAIL itself: what the state still has of a transaction was
      // ended (RSET, HELO/EHLO, STARTTLS, DATA) and is not this one's, nor the helo decision's.
      delete state.sender;
      delete state.body;
      state.recipients = [];
      guard(state, done, async () => {
        const policy = options.policy();
        const helo = session.hostNameAppearsAs;
        if (!helo && policy.smtp.requireHelo !== false) return refuseBy(state, 'mail', 'smtp.requireHelo', { code: 503, status: '5.5.1', text: 'Send HELO/EHLO first' }, done, { sender: address.address });
        const extensions = offeredOn(session);
        const unoffered = unofferedParameterOf('MAIL', address.args, extensions, openedWithHelo(session));
        if (unoffered) return refuseParameter(state, 'MAIL', unoffered, done);
        if (unofferedUtf8Address(address.address, extensions)) return refuseUtf8(state, 'MAIL', done);
        const busy = options.admit?.();
        if (busy) return answer(done, undefined, replyError(busy));
        const size = Number((address.args || {} as Record<string, string>).SIZE ?? 0);
        const maxSize = maxSizeOf();
        if (maxSize && size > maxSize) {
          return refuseBy(state, 'mail', 'smtp.maxSize', { code: 552, status: '5.3.4', text: `Message size exceeds the limit of ${maxSize} bytes` }, done, { sender: address.address, size });
        }
        if (helo && !heloDecided(state, helo)) {
          state.helo = { name: helo, tls: state.client.tls, decision: await decide(policy, 'helo', state, inputOf(state, { helo })) };
        }
        if (state.helo && (state.helo.decision.verdict === 'reject' || state.helo.decision.verdict === 'tempfail')) {
          return answer(done, state.helo.decision);
        }
        const sender = address.address;
        state.mail = await decide(policy, 'mail', state, inputOf(state, { sender }));
        if (state.mail.verdict !== 'reject' && state.mail.verdict !== 'tempfail') {
          state.sender = sender;
          const body = (address.args || {} as Record<string, string>).BODY;
          if (typeof body === 'string') state.body = body.toUpperCase();
        }
        answer(done, state.mail);
      });
    },

    onRcptTo(address: SMTPServerAddress, session: SMTPServerSession, done) {
      const state = stateOf(session);
      guard(state, done, async () => {
        const policy = options.policy();
        const extensions = offeredOn(session);
        const unoffered = unofferedParameterOf('RCPT', address.args, extensions, openedWithHelo(session));
        if (unoffered) return refuseParameter(state, 'RCPT', unoffered, done);
        if (unofferedUtf8Address(address.address, extensions)) return refuseUtf8(state, 'RCPT', done);
        const recipient = recipientMeant(address.address, options.postmaster);
        // A repeat is the same recipient (smtp-server keeps it once too): 250 as it first got,
        // without a second copy of the mail or a place of maxRecipients used up.
        const repeated = state.recipients.find((r) => r.address.toLowerCase() === recipient.toLowerCase());
        if (repeated) {
          state.rcptReply = repeated.decision.reply;
          return answer(done, repeated.decision);
        }
        if (policy.smtp.maxRecipients && state.recipients.length >= policy.smtp.maxRecipients) {
          const reply = { code: 452, status: '4.5.3', text: `Too many recipients (at most ${policy.smtp.maxRecipients} per message)` };
          return refuseBy(state, 'rcpt', 'smtp.maxRecipients', reply, done, { recipient });
        }
        const addressedAs = recipient === address.address ? {} : { addressedAs: address.address };
        const decision = await decide(policy, 'rcpt', state, inputOf(state, { recipient }), {}, addressedAs);
        if (decision.verdict !== 'reject' && decision.verdict !== 'tempfail') {
          state.recipients.push({ address: recipient, decision });
          state.rcptReply = decision.reply;
        }
        answer(done, decision);
      });
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, done) {
      const state = stateOf(session);
      const policy = options.policy();
      const maxSize = maxSizeOf();
      const reader = new StrictDataReader(maxSize ?? 0);
      const forModel = new PassThrough();
      // The model is read as it streams; the store would hold every byte of a refused message.
      const forStore = untilRefused(() => reader.violation !== undefined || stream.sizeExceeded);
      reader.pipe(forModel);
      reader.pipe(forStore);
      stream.pipe(reader);
      // pipe() does not pass a destroy on: when the client goes away mid-DATA, smtp-server
      // destroys `stream`, and the readers below would wait for an end that never comes.
      stream.once('close', () => {
        if (stream.readableEnded) return;
        const gone = new ClientGone(cutShort(session));
        // Now, not once the readers have failed: the session's close line comes a turn after this.
        // A client gone mid-DATA is the client's doing: an info line, not an error for each one that drops.
        log({ event: 'data-aborted', session: state.session, client: state.client.ip, sender: state.sender, recipients: state.recipients.map((r) => r.address), reason: gone.message });
        reader.destroy();
        // The readers fail (an error only where someone listens: an unheard one ends the process).
        for (const s of [forModel, forStore]) s.destroy(s.listenerCount('error') > 0 ? gone : undefined);
      });
      /** The data stage over a message that was read whole and stored; resolves once answered. */
      const decideData = async (model: MessageModel, stored: StoredMessage): Promise<void> => {
        const refuse = async (code: number, status: string, text: string): Promise<void> => {
          await stored.discard();
          log({ event: 'data-refused', session: state.session, client: state.client.ip, sender: state.sender, recipients: state.recipients.map((r) => r.address), bytes: reader.bytes, reply: { code, status, text } });
          answer(done, undefined, replyError({ code, status, text }));
        };
        // Without the policy's maxSize, the limit smtp-server applied is the host's own `size`.
        if (stream.sizeExceeded) return refuse(552, '5.3.4', maxSize ? `Message exceeds the maximum size of ${maxSize} bytes` : 'Message exceeds the maximum message size');
        if (reader.violation) return refuse(reader.violation.code, reader.violation.status, reader.violation.text);
        const input = inputOf(state, { message: model });
        const decision = await decide(policy, 'data', state, input, { message: stored.source, model }, { recipients: state.recipients.map((r) => r.address), bytes: reader.bytes });
        if (decision.verdict === 'reject' || decision.verdict === 'tempfail') {
          await stored.discard();
          return answer(done, decision);
        }
        const recipients = state.recipients.map((r) => ({ address: r.address, effects: r.decision.effects }));
        const committed = await stored.commit({
          client: state.client, ...(state.helo ? { helo: state.helo.name } : {}), sender: state.sender ?? '', recipients, decision,
          effects: [...envelopeEffects(state), ...decision.effects], model, size: reader.bytes,
          ...(state.body === '8BITMIME' || state.body === '7BIT' ? { body: state.body } : {}),
          ...(openedWithHelo(session) ? { plainSmtp: true } : {}),
        });
        state.totals.messages++;
        state.totals.recipients += recipients.length;
        state.totals.bytes += reader.bytes;
        // A store may resolve to nothing (or, written in JavaScript, to anything): no id then.
        const id = typeof committed === 'string' && committed !== '' ? committed : undefined;
        log({ event: 'queued', session: state.session, ...(id !== undefined ? { id } : {}), client: state.client.ip, user: state.client.user, direction: isOutbound(policy, input) ? 'outbound' : 'inbound', sender: state.sender, recipients: recipients.map((r) => r.address), bytes: reader.bytes, verdict: decision.verdict, fired: decision.fired });
        done(null, `${decision.reply.status} ${decision.reply.text}${id !== undefined ? `: queued as ${id}` : ''}`);
      };
      guard(state, done, async () => {
        // Both read the same DATA: when one side fails, the other must not stall on a full pipe
        // (the client would get no answer), so its input is drained at once.
        const drain = (err: unknown): never => {
          forModel.resume();
          forStore.resume();
          throw err;
        };
        const [analyzed, received] = await Promise.allSettled([analyze(forModel as Readable).catch(drain), options.store.receive(forStore).catch(drain)]);
        if (analyzed.status === 'rejected' || received.status === 'rejected') {
          // Keep reading DATA to its end, so the client gets its answer instead of a hang.
          forModel.resume();
          forStore.resume();
          if (received.status === 'fulfilled') await received.value.discard();
          throw analyzed.status === 'rejected' ? analyzed.reason : (received as PromiseRejectedResult).reason;
        }
        const model = analyzed.value;
        const stored = received.value;
        await decideData(model, stored).catch(async (err: unknown) => {
          // Nothing was acknowledged: what was kept for this message goes now, not at a restart.
          await stored.discard().catch(() => undefined);
          throw err;
        });
      });
    },
  };
}
