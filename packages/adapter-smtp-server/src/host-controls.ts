import type { SMTPServerOptions } from 'smtp-server';

/** Keywords a host may hide itself: the policy adds to what is hidden, never offers one again. */
const HOST_HIDES = ['hideSTARTTLS', 'hidePIPELINING', 'hide8BITMIME', 'hideSMTPUTF8'] as const;

/**
 * The smtp-server options of the policy's `smtp:` controls with the host's own merged in, so
 * that neither undoes the other: the disabled commands are both lists, a keyword either one
 * hides stays hidden, and AUTH, which the listener's `authenticate` offers whatever the policy
 * hides, stays disabled where the host disables it. DSN stays hidden and ENHANCEDSTATUSCODES
 * off: the hooks carry out no DSN, and the replies carry their own status codes.
 */
export function withHostControls(host: Partial<SMTPServerOptions>, controls: Partial<SMTPServerOptions>, authenticate: boolean): Partial<SMTPServerOptions> {
  const merged: Partial<SMTPServerOptions> = { ...controls };
  const disabled = new Set((controls.disabledCommands ?? []).map((c) => c.toUpperCase()));
  if (authenticate) disabled.delete('AUTH');
  else disabled.add('AUTH');
  for (const command of host.disabledCommands ?? []) disabled.add(String(command).toUpperCase().trim());
  merged.disabledCommands = [...disabled];
  for (const flag of HOST_HIDES) if (host[flag]) merged[flag] = true;
  // Not a policy control: the adapter's default (no DNS before the greeting), the host's to change.
  if (host.disableReverseLookup !== undefined) merged.disableReverseLookup = host.disableReverseLookup;
  return merged;
}
