import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { containClientErrors } from './client-errors';
import { setGreetPause } from './greet-pause';
import { refuseAuthInClear } from './auth-in-clear';
import { answerHelo } from './helo-answer';
import { applyHeloRequirement } from './helo-requirement';
import { withHostControls } from './host-controls';
import { checkHostOptions } from './host-options';
import { logControlRefusals } from './control-refusals';
import { logSessions } from './session-log';
import { forbidHiddenPipelining } from './pipelining-check';
import { policyHooks, type PolicyHooksOptions } from './policy-hooks';
import { watchReplies } from './protocol-replies';
import { offeredByServer } from './offered-parameters';
import { smtpServerOptions } from './smtp-controls';
import { finishInFlight } from './shutdown-drain';

export interface PolicyServerOptions extends Omit<PolicyHooksOptions, 'offered' | 'maxSize'> {
  /**
   * smtp-server options of the host (name, banner, TLS key and certificate, ...); `secure: true`
   * needs key and cert. onConnect, onMailFrom, onRcptTo and onData are the adapter's, and AUTH is
   * checked by `authenticate`: giving any of those hooks here throws.
   */
  server?: Partial<SMTPServerOptions>;
  /**
   * Offer AUTH PLAIN/LOGIN (a submission listener), whatever the policy hides, and only over
   * TLS; authenticated clients count as outbound. A check that throws or rejects could not
   * decide (its password store is unreachable): the client gets 454 4.7.0 and may try again.
   * `client.ip` is the SMTP client's address, for a store that slows down failing clients.
   */
  authenticate?: (user: string, password: string, client: { ip: string }) => boolean | Promise<boolean>;
}

/**
 * An smtp-server that runs the policy at every stage. TLS is offered only with the host's own
 * certificate (never smtp-server's built-in one) and at TLS 1.2 or later.
 */
export function createPolicyServer(options: PolicyServerOptions): SMTPServer {
  const policy = options.policy();
  const host = options.server ?? {};
  checkHostOptions(host);
  const tls = Boolean(host.key && host.cert);
  const authenticate = options.authenticate;
  // AUTH is offered only where logins are checked: a listener without `authenticate` refuses it.
  const controls = withHostControls(host, smtpServerOptions(policy, tls), Boolean(authenticate));
  const log = options.log ?? ((): void => undefined);
  // MAIL and RCPT take the parameters of what this server's EHLO reply lists, as it was made.
  const offered = (session: SMTPServerSession): ReadonlySet<string> => offeredByServer(server.options, Boolean(session.secure));
  // The smtp: controls smtp-server carries out are the ones it was made with (a reload changes
  // the rules, not the EHLO reply): the hooks refuse by the same size and the same keywords.
  const { onHelo, ...hooks } = policyHooks({ ...options, offered, maxSize: () => policy.smtp.maxSize });
  const server: SMTPServer = new SMTPServer({
    logger: false,
    authOptional: true,
    ...host,
    ...controls,
    ...(tls ? { minVersion: 'TLSv1.2' } : {}),
    ...(authenticate
      ? {
          authMethods: ['PLAIN', 'LOGIN'],
          allowInsecureAuth: false,
          onAuth(auth, session, done) {
            const { username, password } = auth;
            // Who logged in, or tried to (a guesser's failures are what fail2ban reads); never the password.
            const logged = (outcome: string): void => log({ event: 'auth', session: session.id, client: session.remoteAddress, user: username, method: auth.method, outcome });
            const refused = (): void => {
              logged('refused');
              done(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
            };
            if (!username || typeof password !== 'string') return refused();
            Promise.resolve().then(() => authenticate(username, password, { ip: session.remoteAddress })).then(
              (ok) => {
                if (!ok) return refused();
                logged('accepted');
                done(null, { user: username });
              },
              () => {
                logged('unavailable');
                done(Object.assign(new Error('4.7.0 Temporary authentication failure'), { responseCode: 454 }));
              },
            );
          },
        } satisfies Partial<SMTPServerOptions>
      : {}),
    ...hooks,
  } as SMTPServerOptions);
  if (authenticate) refuseAuthInClear(server, log);
  answerHelo(server, onHelo);
  setGreetPause(server, policy.smtp.greetPause ?? 100);
  watchReplies(server, options.policy, log);
  containClientErrors(server, log);
  forbidHiddenPipelining(server, log);
  applyHeloRequirement(server, options.policy);
  finishInFlight(server);
  logControlRefusals(server, () => policy, log);
  logSessions(server, () => policy, { ...(options.listener ? { name: options.listener } : {}), zone: options.direction ?? 'by policy' }, log, Boolean(authenticate));
  return server;
}
