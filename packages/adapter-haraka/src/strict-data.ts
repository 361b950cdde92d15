import { strictViolation } from '@mailward/core';
import { refusal, type DSN } from './reply';

/**
 * The gateway's strict DATA check (core's StrictLines, as adapter-smtp-server's StrictDataReader
 * reads DATA), over the message as Haraka hands it to plugins: a NUL, a bare CR or a line over
 * 998 octets refuses it with the gateway's 550 5.6.0 reply. Haraka refuses a bare LF itself and
 * folds lines over its `max.data_line_length` (see haraka-alterations), but relays a NUL or a
 * bare CR as it came, and a relay that reads line ends differently is how SMTP smuggling works.
 * Line length is checked from `lengthFrom` (the body): header fields other plugins added may be
 * long, and the client's own header lines are checked by `clientHeaderViolation` on what it sent.
 */
export function strictDataViolation(bytes: Buffer, options: { lengthFrom?: number } = {}): DSN | undefined {
  const v = strictViolation(bytes, options);
  return v ? refusal(v.code, v.status, v.text) : undefined;
}

/**
 * The strict check over the client's own header lines (Haraka's `header_lines`, each ending in LF
 * for CRLF): a bare CR, a NUL or a line over 998 octets in them. Haraka makes a bare CR in a
 * header line a fold (`Subject: a\rb` reaches plugins and the next hop as `a\r\n b`), so the
 * message it hands over no longer shows one; the gateway refuses such a message, and so must this.
 */
export function clientHeaderViolation(lines: readonly string[] | undefined): DSN | undefined {
  if (!lines?.length) return undefined;
  return strictDataViolation(Buffer.from(lines.map((l) => l.replace(/\n$/, '\r\n')).join(''), 'utf8'));
}

/** Where the body starts (after the empty line), or the end when there is none. */
export function bodyStart(bytes: Buffer): number {
  if (bytes[0] === 0x0d && bytes[1] === 0x0a) return 2;
  const end = bytes.indexOf('\r\n\r\n');
  return end < 0 ? bytes.length : end + 4;
}
