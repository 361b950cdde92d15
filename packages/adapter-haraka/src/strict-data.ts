import { refusal, type DSN } from './reply';

/**
 * The gateway's strict DATA check (adapter-smtp-server's StrictDataReader), over the message as
 * Haraka hands it to plugins: a NUL, a bare CR or a line over 998 octets refuses the message
 * with the gateway's 550 5.6.0 reply. Haraka refuses a bare LF itself and folds lines over its
 * `max.data_line_length` (see haraka-alterations), but relays a NUL or a bare CR as it came,
 * and a relay that reads line ends differently is how SMTP smuggling works. The first
 * offending octet decides, as it does in the gateway. Line length is checked from `lengthFrom`
 * (the body): header fields other plugins added may be long, and the client's own header lines
 * are checked by `longHeaderLine` on what the client sent.
 */
export function strictDataViolation(bytes: Buffer, options: { lengthFrom?: number } = {}): DSN | undefined {
  const lengthFrom = options.lengthFrom ?? 0;
  let nul = bytes.indexOf(0x00);
  let i = 0;
  while (i < bytes.length) {
    const lf = bytes.indexOf(0x0a, i);
    const end = lf < 0 ? bytes.length : lf;
    const contentEnd = lf > i && bytes[lf - 1] === 0x0d ? lf - 1 : end;
    if (nul >= 0 && nul < i) nul = bytes.indexOf(0x00, i);
    const cr = bytes.indexOf(0x0d, i);
    const candidates: Array<[number, string]> = [];
    if (nul >= 0 && nul < contentEnd) candidates.push([nul, 'nul']);
    if (cr >= 0 && cr < contentEnd) candidates.push([cr, 'cr']);
    if (i >= lengthFrom && contentEnd - i > 998) candidates.push([i + 998, 'long']);
    if (lf >= 0 && contentEnd === lf) candidates.push([lf, 'lf']);
    if (candidates.length > 0) {
      const [, what] = candidates.reduce((a, b) => (b[0] < a[0] ? b : a));
      switch (what) {
        case 'nul':
          return refusal(550, '5.6.0', 'Message refused: a NUL byte in DATA; mail may not contain NUL');
        case 'cr':
          return refusal(550, '5.6.0', 'Message refused: a bare CR in DATA; lines must end in CRLF');
        case 'lf':
          return refusal(550, '5.6.0', 'Message refused: a bare LF in DATA; lines must end in CRLF');
        default:
          return refusal(550, '5.6.0', 'Message refused: a line longer than 998 octets');
      }
    }
    if (lf < 0) break;
    i = lf + 1;
  }
  return undefined;
}

/** The gateway's refusal when one of the client's own header lines is over 998 octets. */
export function longHeaderLine(lines: readonly string[] | undefined): DSN | undefined {
  for (const line of lines ?? []) {
    if (Buffer.byteLength(line.replace(/\r?\n$/, ''), 'utf8') > 998) {
      return refusal(550, '5.6.0', 'Message refused: a line longer than 998 octets');
    }
  }
  return undefined;
}

/** Where the body starts (after the empty line), or the end when there is none. */
export function bodyStart(bytes: Buffer): number {
  if (bytes[0] === 0x0d && bytes[1] === 0x0a) return 2;
  const end = bytes.indexOf('\r\n\r\n');
  return end < 0 ? bytes.length : end + 4;
}
