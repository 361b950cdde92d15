import type { Malformation } from '@mailward/core';
import type { HarakaTransaction } from './haraka-types';

/**
 * What Haraka changed in the client's DATA before any plugin saw it, as `limits`
 * malformations: the message the policy reads (and Haraka relays) is then not the one the
 * client sent, which is what `malformed` is for. Haraka folds a line longer than
 * `connection.ini` `max.data_line_length` (and notes it), and keeps only the first
 * `headers.max_lines` lines of the header block, dropping the rest without a word. The gateway
 * refuses the first (550 5.6.0) and reads the second as a header block over its limit, so
 * without these a `malformed` rule held the message at the gateway and passed it here.
 */
export function harakaAlterations(txn: HarakaTransaction): Malformation[] {
  const out: Malformation[] = [];
  const cfg = (txn.cfg ?? {}) as { headers?: { max_lines?: number }; max?: { data_line_length?: number } };
  if (txn.notes.data_line_length_exceeded === true) {
    const limit = cfg.max?.data_line_length ?? 992;
    out.push({ kind: 'limits', path: '0', detail: `a line longer than ${limit} octets (Haraka's max.data_line_length), which Haraka folded` });
  }
  const maxLines = cfg.headers?.max_lines || 1000;
  const headerLines = (txn as { header_lines?: unknown[] }).header_lines;
  if (Array.isArray(headerLines) && headerLines.length >= maxLines) {
    out.push({ kind: 'limits', path: '0', detail: `header block of ${maxLines} lines or more (Haraka's headers.max_lines): Haraka relays only the first ${maxLines}` });
  }
  return out;
}
