/**
 * The MAIL and RCPT parameters the adapters take, and the ESMTP extension each belongs to.
 * Any other is no extension's: refused, as one of an extension not offered is (RFC 5321
 * 4.1.1.11, 555); smtp-server and Haraka pass every parameter on to the hooks.
 */
const PARAMETERS: Readonly<Record<'MAIL' | 'RCPT', Readonly<Record<string, string>>>> = {
  MAIL: { SIZE: 'SIZE', BODY: '8BITMIME', SMTPUTF8: 'SMTPUTF8', AUTH: 'AUTH', RET: 'DSN', ENVID: 'DSN', REQUIRETLS: 'REQUIRETLS' },
  RCPT: { NOTIFY: 'DSN', ORCPT: 'DSN' },
};

/** A MAIL or RCPT parameter refused: as sent, with why, and the extension it belongs to (if any). */
export interface UnofferedParameter {
  /** `RET= (DSN is not offered here)`: what the reply and the log say. */
  text: string;
  /** The ESMTP keyword of its extension (DSN for RET=); absent for a parameter of none. */
  keyword?: string;
}

/**
 * The first parameter of a MAIL or RCPT command that no extension offered here takes, named as
 * sent (a parameter without a value, SMTPUTF8, is given as true or null: no '=') with why, and its
 * extension. After HELO (`afterHelo`) nothing was offered: every parameter is refused, whatever
 * `offered` holds.
 */
export function unofferedParameterOf(command: 'MAIL' | 'RCPT', args: unknown, offered: ReadonlySet<string>, afterHelo = false): UnofferedParameter | undefined {
  if (!args || typeof args !== 'object') return undefined;
  for (const [key, value] of Object.entries(args)) {
    const name = key.toUpperCase();
    const keyword = PARAMETERS[command][name];
    const sent = `${name}${value === true || value === null ? '' : '='}`;
    const of = keyword ? { keyword } : {};
    // RFC 5321 has a client that sent HELO use no parameter; RFC 6152 defines BODY, 7BIT too, only with 8BITMIME.
    if (afterHelo) return { text: `${sent} (no extension is offered after HELO)`, ...of };
    // After EHLO, BODY=7BIT is what a message is without the parameter: taken always.
    if (name === 'BODY' && typeof value === 'string' && value.toUpperCase() === '7BIT') continue;
    if (keyword && offered.has(keyword)) continue;
    return { text: keyword ? `${sent} (${keyword} is not offered here)` : `${sent} (no extension offered here takes it)`, ...of };
  }
  return undefined;
}

/** unofferedParameterOf's text alone: the first parameter no extension offered here takes, with why. */
export function unofferedParameter(command: 'MAIL' | 'RCPT', args: unknown, offered: ReadonlySet<string>, afterHelo = false): string | undefined {
  return unofferedParameterOf(command, args, offered, afterHelo)?.text;
}

