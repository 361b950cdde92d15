import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { closeServer, createPolicyServer } from '@mailward/adapter-smtp-server';
import type { CompiledPolicy } from '@mailward/core';
import { createFactProviders, type FactsConfig, type FactsHandle } from '@mailward/facts';
import type { SMTPServer } from 'smtp-server';
import type { GatewayConfig } from './config';
import { Dequeuer } from './dequeuer';
import { closeRelays, cutRelays } from './delivery/smtp-relay';
import { parseHop } from './delivery/route';
import type { GatewayLog } from './log';
import { DEFAULT_MAX_SIZE, loadGatewayPolicy } from './policy-source';
import { Spool } from './spool/spool';
import { spoolStore } from './spool/spool-store';
import { removeLeftovers } from './spool/leftovers';
import { lockSpool } from './spool/spool-lock';
import { spoolSecret } from './spool/spool-secret';
import { removePartialMail } from './delivery/maildir';
import { admission } from './spool/admission';
import type * as Metrics from './metrics';
import { submissionLogin } from './submission-login';
import { accountToRunAs, dropPrivileges } from './privileges';
import { holdConnections } from './connection-hold';
import { forgetListenEnvironment, inheritedFd, isInheritedListen } from './inherited-socket';
import { listenerErrorEvent } from './listener-error';
import { openRelayWarning } from './listener-check';
import { factBudgetMs } from './fact-budget';
import { unprovidedFacts } from './fact-coverage';
import { postmasterMailbox } from './postmaster-mailbox';

export interface RunningGateway {
  /** Where each listener listens (port 0 in the config becomes the real port). */
  addresses: { host: string; port: number }[];
  /** The admin listener's port (/metrics, /healthz), when configured. */
  adminPort?: number;
  spool: Spool;
  dequeuer: Dequeuer;
  policy(): CompiledPolicy;
  /** Stop accepting, let sessions in flight finish (up to `graceMs`), stop delivering; the spool stays. */
  stop(graceMs?: number): Promise<void>;
}

/** Start the gateway: recover the spool, open the listeners, start delivering. */
/** Node before 20.10 ignores a write stream's `flush`, which the spool's fsync of large mail relies on. */
function checkNodeVersion(): void {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 10)) throw new Error(`mailward serve needs Node.js 20.10 or later (this is ${process.versions.node}): older versions do not fsync spooled mail`);
}

/** The admin listener, whose failure to bind says it is the admin's `listen` (a listener's is logged with its own). */
async function adminListen(metrics: Metrics.GatewayMetrics, listen: string): Promise<{ server: Server; port: number }> {
  const { host, port } = parseHop(listen, 9025);
  try {
    return await metrics.listen(host, port);
  } catch (err) {
    throw new Error(`admin listen "${listen}": ${(err as Error).message}`);
  }
}

export async function startGateway(config: GatewayConfig, baseLog: GatewayLog): Promise<RunningGateway> {
  checkNodeVersion();
  const policy = loadGatewayPolicy(config.policy, config.domain, config.domainFrom);
  // Looked up before anything is bound: a missing user stops the start, not a half-started gateway.
  const account = config.user ? accountToRunAs(config.user, baseLog) : undefined;
  for (const w of policy.warnings) baseLog.event('warn', { event: 'policy-warning', problem: `${w.file}:${w.line}:${w.col}: ${w.message}` });
  for (const f of unprovidedFacts(policy, (config.facts ?? {}) as FactsConfig)) baseLog.event('warn', { event: 'facts-missing', ...f });
  // Before the spool is made: a password file with bad lines stops the start with nothing created.
  const logins = config.listeners.map((l) => (l.auth ? submissionLogin(l.auth, l.listen, baseLog) : undefined));
  const spool = new Spool(config.spool);
  const unlock = lockSpool(config.spool);
  // What the start has opened so far, closed if a later step fails (a port in use): a half-started
  // gateway kept its first listeners bound, holding their clients with no banner, and /healthz ok.
  const opened: (() => Promise<unknown>)[] = [];
  const started = await (async () => {
    // Counted only where something can read it: prom-client loads with the admin listener.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const metrics = config.admin ? new (require('./metrics') as typeof Metrics).GatewayMetrics(spool) : undefined;
    const log = metrics ? metrics.counting(baseLog) : baseLog;
    const admin = metrics && config.admin ? await adminListen(metrics, config.admin.listen) : undefined;
    if (admin) {
      opened.push(() => new Promise((r) => admin.server.close(r).closeAllConnections()));
      log.event('info', { event: 'admin-listening', port: admin.port });
    }
    const cleaned = removeLeftovers(spool);
    const mailPartial = config.delivery.mode === 'maildir' ? removePartialMail(config.delivery.maildir ?? './var/mail') : 0;
    log.event('info', { event: 'start', policy: policy.name ?? config.policy, spool: config.spool, queued: spool.pending().length, unacknowledged_removed: cleaned.unacknowledged, partial_removed: cleaned.partial, orphans_removed: cleaned.orphaned, mail_partial_removed: mailPartial });
    const facts: FactsHandle = createFactProviders({ ...((config.facts ?? {}) as FactsConfig), onLookup: (e) => log.event(e.error ? 'warn' : 'debug', { event: 'lookup', ...e }) });
    opened.push(() => facts.close());
    const admit = admission(spool, { maxSize: policy.smtp.maxSize ?? DEFAULT_MAX_SIZE, ...(config.spoolLimit !== undefined ? { spoolLimit: config.spoolLimit } : {}) }, log);
    const postmaster = postmasterMailbox(config, policy);
    const servers: SMTPServer[] = [];
    const addresses: { host: string; port: number }[] = [];
    const releases: (() => void)[] = [];
    // The sockets systemd passed are looked up before anything is bound: a missing one stops the start.
    const fds = config.listeners.map((l) => (isInheritedListen(l.listen) ? inheritedFd(l.listen) : undefined));
    for (const [i, listener] of config.listeners.entries()) {
      const fd = fds[i];
      const hop = fd === undefined ? parseHop(listener.listen, 25) : undefined;
      const server = createPolicyServer({
        policy: () => policy,
        providers: facts.providers,
        factTimeoutMs: factBudgetMs(config.facts as FactsConfig | undefined),
        store: spoolStore(spool, { hostname: config.hostname }),
        admit,
        ...(postmaster ? { postmaster } : {}),
        ...(logins[i] ? { authenticate: logins[i] } : {}),
        listener: listener.listen,
        ...(listener.direction ? { direction: listener.direction } : {}),
        log: (fields) => log.event(fields.event === 'error' ? 'error' : 'info', fields),
        server: {
          name: config.hostname,
          banner: 'Mailward',
          ...(listener.tls ? { key: readFileSync(listener.tls.key), cert: readFileSync(listener.tls.cert) } : {}),
          ...(listener.secure ? { secure: true } : {}),
        },
      });
      // A failed STARTTLS handshake reaches smtp-server twice (the TLS socket's _tlsError, then
      // its error), as the same error object: it is logged once.
      const reported = new WeakSet<Error>();
      server.on('error', (err) => {
        if (reported.has(err)) return;
        reported.add(err);
        const { level, fields } = listenerErrorEvent(err, listener.listen);
        log.event(level, fields);
      });
      const hold = holdConnections(server.server);
      releases.push(hold.release);
      opened.push(() => {
        hold.drop();
        return new Promise((r) => server.server.close(r));
      });
      await new Promise<void>((resolve, reject) => {
        server.server.once('error', reject);
        if (hop) server.listen(hop.port, hop.host, () => resolve());
        else server.listen({ fd }, () => resolve());
      });
      const address = server.server.address() as AddressInfo;
      addresses.push({ host: address.address, port: address.port });
      log.event('info', { event: 'listening', host: address.address, port: address.port, direction: listener.direction ?? 'by policy', ...(fd !== undefined ? { inherited: listener.listen } : {}) });
      // Checked on the address bound (a --listen override, an inherited socket), not the config's text.
      const relay = openRelayWarning(listener, { host: address.address, port: address.port });
      if (relay) log.event('warn', relay);
      servers.push(server);
    }
    if (fds.some((fd) => fd !== undefined)) forgetListenEnvironment();
    if (account) dropPrivileges(account, config.spool, log);
    // Only now may sessions run: one served before the drop would write the spool as root.
    for (const release of releases) release();
    const dequeuer = new Dequeuer({
      spool, delivery: { ...config.delivery, ownListeners: addresses, heloName: config.hostname }, times: config.queue, hostname: config.hostname, secret: config.secret ?? spoolSecret(config.spool), log,
      ...(config.postmaster ? { postmaster: config.postmaster } : {}),
      quarantineRetention: config.quarantine.retentionDays * 86_400_000,
      ...(config.queue.maxConns ? { maxConns: config.queue.maxConns } : {}),
    });
    dequeuer.start();
    return { log, admin, servers, addresses, dequeuer, facts };
  })().catch(async (err: unknown) => {
    await Promise.allSettled(opened.map((close) => close())); // the start's error is the one to tell
    unlock(); // a start that failed (a port in use) leaves the spool to the next one
    throw err;
  });
  const { log, admin, servers, addresses, dequeuer, facts } = started;
  return {
    addresses,
    ...(admin ? { adminPort: admin.port } : {}),
    spool,
    dequeuer,
    policy: () => policy,
    async stop(graceMs = 30_000) {
      log.event('info', { event: 'stopping' });
      // No delivery or retry starts from now (while sessions in flight finish, too): the ones
      // running finish, and what is queued goes at the next start.
      const delivered = dequeuer.stop();
      // A delivery still running at the end of the grace time (a hub that accepted the
      // connection and never answers holds it for delivery.timeout, 60 s by default: past
      // systemd's stop timeout) is cut by closing the connections; its message stays in the
      // spool and goes at the next start; its delivery line says the shutdown cut it.
      // So is a fact lookup still running (a silent clamd would hold its session, and the
      // process, for its own timeout).
      const cut = setTimeout(() => {
        cutRelays(`cut at shutdown, still running after the ${graceMs / 1000} s grace time`);
        void facts.close();
      }, graceMs);
      // Sessions still open at the end of it get 421 and are closed for good.
      await Promise.all(servers.map((s) => closeServer(s, graceMs)));
      // smtp-server logs a session's end (its `close` line) a turn after the listener closed.
      await new Promise((r) => setImmediate(r));
      await delivered;
      clearTimeout(cut);
      closeRelays();
      await facts.close();
      if (admin) await new Promise((r) => admin.server.close(r));
      log.event('info', { event: 'stopped', queued: spool.pending().length });
      unlock();
    },
  };
}
