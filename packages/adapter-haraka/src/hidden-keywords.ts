import { unofferedParameterOf, type CompiledPolicy } from '@mailward/core';
import { refusal, type DSN } from './reply';

/** The policy's `smtp.hideKeywords`, upper-cased. */
export function hiddenKeywords(policy: CompiledPolicy): Set<string> {
  return new Set((policy.smtp?.hideKeywords ?? []).map((k: string) => k.toUpperCase()));
}

/** The EHLO lines without the hidden keywords ("AUTH PLAIN LOGIN" is hidden by AUTH). */
export function withoutHidden(capabilities: readonly string[], hidden: Set<string>): string[] {
  return capabilities.filter((line) => !hidden.has(line.trim().split(/\s+/, 1)[0]!.toUpperCase()));
}

/** Commands that belong to an extension, so hiding the keyword refuses them too. */
const COMMANDS: Record<string, string> = {
  AUTH: 'AUTH',
  STARTTLS: 'STARTTLS',
  ETRN: 'ETRN',
  ONEX: 'ONEX',
  XUSR: 'XUSR',
  VRFY: 'VRFY',
  EXPN: 'EXPN',
  TURN: 'TURN',
  ATRN: 'ATRN',
  BDAT: 'CHUNKING',
};

/** MAIL/RCPT parameters that belong to an extension (RFC 3461 DSN, RFC 6531, RFC 6152). */
const PARAMETERS: Record<string, string> = {
  RET: 'DSN',
  ENVID: 'DSN',
  NOTIFY: 'DSN',
  ORCPT: 'DSN',
  SMTPUTF8: 'SMTPUTF8',
  BODY: '8BITMIME',
  SIZE: 'SIZE',
  AUTH: 'AUTH',
};

/** The refusal for a command whose keyword is hidden, or undefined when it is allowed. */
export function refuseCommand(command: string, hidden: Set<string>): DSN | undefined {
  const keyword = COMMANDS[command.toUpperCase()];
  if (!keyword || !hidden.has(keyword)) return undefined;
  return refusal(502, '5.5.1', `${command.toUpperCase()} is not offered here`);
}

/**
 * The refusal for MAIL/RCPT parameters of a hidden extension, or undefined when none is used.
 * With the session's EHLO lines (`capabilities`), also for a parameter no extension offered there
 * takes (RET= where DSN is not offered, XYZZY=1), as the gateway refuses them (RFC 5321 4.1.1.11);
 * a parameter named as a keyword another plugin offered is taken (one named otherwise, DELIVERBY's
 * BY=, is not). (Haraka refuses any after HELO itself.)
 */
export function refuseParameters(command: 'MAIL' | 'RCPT', params: Record<string, unknown> | undefined, hidden: Set<string>, capabilities?: readonly string[] | null): DSN | undefined {
  for (const name of Object.keys(params ?? {})) {
    const keyword = PARAMETERS[name.toUpperCase()];
    if (keyword && hidden.has(keyword)) {
      return refusal(555, '5.5.4', `${name.toUpperCase()} parameter not recognised`);
    }
  }
  if (!capabilities) return undefined;
  const offered = new Set(capabilities.slice(1).map((line) => line.trim().split(/\s+/, 1)[0]!.toUpperCase()));
  const unknown = Object.entries(params ?? {}).filter(([name]) => !offered.has(name.toUpperCase()));
  const unoffered = unofferedParameterOf(command, Object.fromEntries(unknown), offered);
  return unoffered ? refusal(555, '5.5.4', `Parameter not supported: ${unoffered.text}`) : undefined;
}

/**
 * RFC 6531's 553 5.6.7 for a non-ASCII address when the policy hides SMTPUTF8, with the
 * gateway's words. Haraka offers SMTPUTF8 by default and takes such an address without the
 * parameter; with the keyword hidden from EHLO the client has not been offered it.
 */
export function refuseNonAscii(address: string, hidden: Set<string>): DSN | undefined {
  if (!hidden.has('SMTPUTF8') || !/[^\x00-\x7f]/.test(address)) return undefined;
  return refusal(553, '5.6.7', 'Non-ASCII address not permitted: SMTPUTF8 is not offered here');
}
