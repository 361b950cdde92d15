import type { Readable } from 'node:stream';
import nodemailer, { type Transporter } from 'nodemailer';
import type { DeliveryConfig, RecipientOutcome } from './delivery-config';
import { tlsOptions, tlsPolicyFor, type HopKind } from './hop-tls';
import { closeProbes, forgetExtensions, knownExtensions, learnExtensions, probeExtensions } from './hop-extensions';
import { planFor, type HopPlan, type MessageBody } from './hop-plan';
import type { Failover, HopOutcome } from './hop-outcome';
import { MessageOctets } from './message-octets';
import { envelopeAddress, sendRaw } from './raw-mail';
import type { Hop } from './route';

/** Pools kept at most; MX delivery meets a new address per domain, so the least recently used goes. */
const MAX_TRANSPORTS = 500;
const transports = new Map<string, Transporter>();

/** "host:port", or "name[ip]:port" for an MX host. */
function hopName(hop: Hop): string {
  return hop.name && hop.name !== hop.host ? `${hop.name}[${hop.host}]:${hop.port}` : `${hop.host}:${hop.port}`;
}

/** The hop as a DSN names the MTA that answered: its host name, or its address when it has none. */
const remoteMta = (hop: Hop): string => hop.name ?? hop.host;

/** What identifies a hop's pool (and what it offers): the hop and the way we talk to it. */
function hopKey(hop: Hop, config: DeliveryConfig, kind: HopKind): string {
  const auth = kind === 'smarthost' && config.smarthost?.user ? config.smarthost : undefined;
  return JSON.stringify([kind, hop.host, hop.port, hop.name, auth?.user, auth?.pass, auth?.method, tlsPolicyFor(kind, config)]);
}

/** The session options a pool and a probe of the hop share: where, how long to wait, TLS. */
function sessionOptions(hop: Hop, config: DeliveryConfig, kind: HopKind): Record<string, unknown> {
  const timeout = (config.timeout ?? 60) * 1000;
  // Connecting and the greeting get `timeout` (a dead hub fails over quickly), as does an idle
  // pooled connection; a reply, the end of DATA's above all, gets RFC 5321's 10 minutes.
  const replies = (config.replyTimeout ?? 600) * 1000;
  return {
    host: hop.host, port: hop.port, ...(config.heloName ? { name: config.heloName } : {}),
    connectionTimeout: timeout, greetingTimeout: timeout, socketTimeout: replies,
    // A connection we close is gone at once: nodemailer's default half-closes it and waits up
    // to 5 s for the hop to close its side, and a hop that never does (one stuck at the end of
    // DATA, cut at shutdown) kept the process alive that long after `stopped`. The pool closes
    // without QUIT anyway, and a probe closes once its QUIT is answered.
    socketCloseTimeout: 0,
    ...tlsOptions(tlsPolicyFor(kind, config), hop.host, hop.port, hop.name),
  };
}

/** A pooled transport per next hop and the way we talk to it. */
function transportFor(hop: Hop, config: DeliveryConfig, kind: HopKind): Transporter {
  const auth = kind === 'smarthost' && config.smarthost?.user ? config.smarthost : undefined;
  const key = hopKey(hop, config, kind);
  let t = transports.get(key);
  if (t) {
    transports.delete(key); // the Map keeps insertion order: re-inserted, it is the most recently used
    transports.set(key, t);
  } else {
    if (transports.size >= MAX_TRANSPORTS) {
      const [oldest, pool] = transports.entries().next().value as [string, Transporter];
      pool.close();
      transports.delete(oldest);
    }
    t = nodemailer.createTransport({
      ...sessionOptions(hop, config, kind), pool: true, maxConnections: config.maxConnsPerSite ?? 5, maxMessages: config.maxMailsPerConn ?? 100,
      idleTimeout: (config.timeout ?? 60) * 1000,
      ...(auth ? { auth: { user: auth.user, pass: auth.pass ?? '' }, authMethod: auth.method ?? 'PLAIN' } : {}),
    } as Parameters<typeof nodemailer.createTransport>[0]);
    transports.set(key, t);
  }
  return t;
}

/**
 * Close every pooled connection (shutdown, tests). Idle ones close at once and one in the middle
 * of a delivery finishes it, unless `force`: then it is cut and its delivery fails (temporary).
 */
export function closeRelays(force = false): void {
  for (const t of transports.values()) (t.close as (options?: { force?: boolean }) => void)({ force });
  transports.clear();
  forgetExtensions();
}

/** How many cuts there were, and why the last one: a relay that saw one during its send was cut. */
let cuts = 0;
let cutWhy = '';

/**
 * Cut every delivery still running (shutdown at the end of its grace time): the pooled
 * connections and the probes are closed, each relay under way ends at once with a temporary
 * outcome whose detail is `HOP: why` (not nodemailer's words for a closed connection), and
 * tries no further hop.
 */
export function cutRelays(why: string): void {
  cuts++;
  cutWhy = why;
  closeProbes();
  closeRelays(true);
}

interface RejectedError {
  recipient: string;
  responseCode?: number;
  response?: string;
}

/**
 * The hop's answer to one spooled recipient. nodemailer names a refused recipient in the form it
 * sent it (an IDN domain as its A-label), not as spooled: compared as spooled only, a refused
 * `user@bücher.example` was found in no answer and counted delivered.
 */
function refusalOf(rejected: RejectedError[], address: string): RejectedError | undefined {
  const forms = new Set([address.toLowerCase(), envelopeAddress(address, 'to').toLowerCase()]);
  return rejected.find((e) => forms.has(e.recipient.toLowerCase()));
}

type RelayError = Error & { responseCode?: number; response?: string; code?: string; rejectedErrors?: RejectedError[] };

/** Why a hop did not take the message, in words an admin can act on (without the hop's name). */
function failureReason(kind: HopKind, e: RelayError, config: DeliveryConfig): string {
  const said = e.response ?? e.message;
  const user = kind === 'smarthost' ? config.smarthost?.user : undefined;
  if (e.code === 'EAUTH') return `login as ${user ?? '?'} refused: ${said}; check delivery.smarthost user and pass`;
  if (user && (e.code === 'ETLS' || /certificate|TLS/i.test(e.message))) {
    return `no trusted TLS (${said}): the password was not sent; give the relay's CA as delivery.smarthost.tls.ca`;
  }
  return said;
}

/** Recipients' outcomes from what the hop that took the transaction answered, with those refused before it. */
function answered(plan: HopPlan, earlier: { failedOver?: string[] }, outcome: (address: string) => RecipientOutcome): HopOutcome[] {
  return [...plan.send.map((address) => ({ ...outcome(address), form: plan.form, ...earlier })), ...plan.refused.map((o) => ({ ...o, ...earlier }))];
}

/**
 * Relay one message to the first hop that answers, for these recipients. A hop that cannot be
 * reached, or with which no session can be had (TLS, AUTH, a refusing greeting), makes us try
 * the next; the answers of the hop that took the transaction are the outcome (2xx delivered,
 * 4xx temporary, 5xx permanent). A refused login is temporary: it is ours to fix, not the sender's.
 * The message is fitted to each hop in turn (hop-plan: 8BITMIME, SMTPUTF8), so a failover from
 * a hop that offers 8BITMIME to one that does not sends the second the 7-bit form; each outcome
 * says which form its hop got. `failedOver` is told of each hop failed over as it happens,
 * and the outcomes of the hop that answered name those that failed before it.
 */
export async function relay(
  hops: Hop[], sender: string, recipients: string[], open: () => Readable, config: DeliveryConfig, kind: HopKind = 'hub',
  body: MessageBody = { eightBit: false, ascii: false }, failedOver?: (failover: Failover) => void,
): Promise<HopOutcome[]> {
  // Every hop's reason: with only the last one's, a first hub that is down behind a second
  // that refuses reads as if the first were never tried.
  const failures: string[] = [];
  const failed = (at: number, error: string): void => {
    const hop = hops[at]!;
    failures.push(`${kind === 'smarthost' ? 'smarthost ' : ''}${hopName(hop)}: ${error}`);
    const next = hops[at + 1];
    if (next) failedOver?.({ recipients, hop: hopName(hop), error, next: hopName(next) });
  };
  const earlier = (): { failedOver?: string[] } => (failures.length > 0 ? { failedOver: [...failures] } : {});
  const message = { sender, recipients, open, ...body, octets: new MessageOctets(open) };
  const generation = cuts;
  const cut = (hop: Hop): RecipientOutcome[] => {
    const detail = [...failures, `${hopName(hop)}: ${cutWhy}`].join('; ');
    return recipients.map((address) => ({ address, outcome: 'temporary' as const, detail }));
  };
  for (const [at, hop] of hops.entries()) {
    const key = hopKey(hop, config, kind);
    let plan: HopPlan;
    try {
      const probe = { ...sessionOptions(hop, config, kind), socketTimeout: (config.timeout ?? 60) * 1000 };
      plan = await planFor(message, hopName(hop), knownExtensions(key), () => probeExtensions(key, probe));
    } catch (err) {
      if (cuts !== generation) return cut(hop);
      failed(at, `${failureReason(kind, err as RelayError, config)} (asking what it offers)`);
      continue;
    }
    if (plan.send.length === 0) return plan.refused.map((o) => ({ ...o, ...earlier() }));
    try {
      const info = await sendRaw(transportFor(hop, config, kind), { from: sender, to: plan.send, ...(plan.use8BitMime ? { use8BitMime: true } : {}) }, plan.open);
      learnExtensions(key, (info as { ehlo?: unknown }).ehlo);
      const rejected = ((info as { rejectedErrors?: RejectedError[] }).rejectedErrors ?? []);
      return answered(plan, earlier(), (address) => {
        const r = refusalOf(rejected, address);
        const fitted = plan.form === '7bit' ? ' (sent 7-bit: it offers no 8BITMIME)' : plan.form === 'ascii-header' ? ' (UTF-8 headers sent as encoded words: it offers no SMTPUTF8)' : '';
        const sent = `${hopName(hop)} ${info.response}${fitted}`;
        if (!r) return { address, outcome: 'delivered' as const, detail: sent, hop: hopName(hop) };
        return { address, outcome: (r.responseCode ?? 500) >= 500 ? ('permanent' as const) : ('temporary' as const), detail: r.response ?? String(r.responseCode), remoteMta: remoteMta(hop), hop: hopName(hop) };
      });
    } catch (err) {
      if (cuts !== generation) return cut(hop);
      const e = err as RelayError;
      if (e.code === 'EENVELOPE' && e.rejectedErrors?.length) {
        // Every recipient refused: the hop answered, so its answers stand.
        return answered(plan, earlier(), (address) => {
          const r = refusalOf(e.rejectedErrors!, address);
          const code = r?.responseCode ?? e.responseCode ?? 450;
          return { address, outcome: code >= 500 ? ('permanent' as const) : ('temporary' as const), detail: r?.response ?? e.response ?? e.message, remoteMta: remoteMta(hop), hop: hopName(hop) };
        });
      }
      // A 5xx to MAIL FROM or DATA is the hop's answer about this message; any other failure is the session's.
      if (e.responseCode && e.responseCode >= 500 && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE')) {
        return answered(plan, earlier(), (address) => ({ address, outcome: 'permanent' as const, detail: e.response ?? e.message, remoteMta: remoteMta(hop), hop: hopName(hop) }));
      }
      failed(at, failureReason(kind, e, config));
    }
  }
  const detail = failures.length ? failures.join('; ') : 'no hub configured';
  return recipients.map((address) => ({ address, outcome: 'temporary' as const, detail }));
}
