import type { SMTPServerOptions } from 'smtp-server';

/**
 * Refuses host options that would undo what the adapter promises: `secure: true` without the
 * host's key and cert has smtp-server serve implicit TLS with its built-in key, which is public.
 */
export function checkHostOptions(host: Partial<SMTPServerOptions>): void {
  if (host.secure && !(host.key && host.cert)) {
    throw new TypeError("createPolicyServer: server.secure: true needs the host's own key and cert (smtp-server's built-in key is public)");
  }
}
