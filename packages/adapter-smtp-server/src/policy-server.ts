import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { setGreetPause } from './greet-pause';
import { policyHooks, type PolicyHooksOptions } from './policy-hooks';
import { smtpServerOptions } from './smtp-controls';

export interface PolicyServerOptions extends PolicyHooksOptions {
  /** smtp-server options of the host (name, banner, TLS key and certificate, ...). */
  server?: Partial<SMTPServerOptions>;
}

/**
 * An smtp-server that runs the policy at every stage. TLS is offered only with the host's own
 * certificate (never smtp-server's built-in one) and at TLS 1.2 or later.
 */
export function createPolicyServer(options: PolicyServerOptions): SMTPServer {
  const policy = options.policy();
  const host = options.server ?? {};
  const tls = Boolean(host.key && host.cert);
  const server = new SMTPServer({
    banner: 'ESMTP',
    logger: false,
    authOptional: true,
    ...host,
    ...smtpServerOptions(policy, tls),
    ...(tls ? { minVersion: 'TLSv1.2' } : {}),
    ...policyHooks(options),
  } as SMTPServerOptions);
  setGreetPause(server, policy.smtp.greetPause ?? 100);
  return server;
}
