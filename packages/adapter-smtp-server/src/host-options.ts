import type { SMTPServerOptions } from 'smtp-server';

/** The hooks the adapter sets: a host's own would be replaced without a word. */
const OWN_HOOKS = ['onConnect', 'onMailFrom', 'onRcptTo', 'onData'] as const;

/**
 * Refuses host options that would undo what the adapter promises or be silently lost:
 * `secure: true` without the host's key and cert has smtp-server serve implicit TLS with its
 * built-in key, which is public; the adapter's own hooks replace the host's; and an `onAuth` is
 * never called, as AUTH is offered only with `authenticate`.
 */
export function checkHostOptions(host: Partial<SMTPServerOptions>): void {
  if (host.secure && !(host.key && host.cert)) {
    throw new TypeError("createPolicyServer: server.secure: true needs the host's own key and cert (smtp-server's built-in key is public)");
  }
  for (const hook of OWN_HOOKS) {
    if (host[hook]) throw new TypeError(`createPolicyServer: server.${hook} cannot be given: the adapter runs the policy there`);
  }
  if (host.onAuth) throw new TypeError('createPolicyServer: server.onAuth cannot be given: pass authenticate(user, password, client) instead');
}
